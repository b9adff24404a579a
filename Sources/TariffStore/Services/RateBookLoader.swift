import TariffCore

/// Compiles a deck's stored versions into a ``RateBook``.
public enum RateBookLoader {
    public static func load(store: any TariffStore, deck: String = "base", reference: ReferenceData? = nil) async throws -> RateBook {
        let compiledReference: ReferenceData
        if let reference { compiledReference = reference } else { compiledReference = try await store.reference.tables().compile() }
        let version = try await store.decks.latestVersion(deck: deck) ?? 0
        let rates = try await store.decks.rates(deck: deck)
        let numbers = try await store.decks.numberPrices(deck: deck)
        return try RateBook(deck: deck, version: version, reference: compiledReference, rates: rates, numberPrices: numbers)
    }
}
