public import TariffCore

/// Reads what a deck diff needs from the store: the versions stored after `from`, and the
/// histories of the keys they touch. A few thousand touched rates are read through the prefix
/// index; beyond that, reading the whole deck once is quicker than that many lookups.
public enum DeckComparison {
    static let indexedLookupLimit = 5_000

    /// The changes between versions `from` and `to` of `deck`, as in force at `instant`; the
    /// first `limit` kept whole, all counted.
    public static func diff(
        _ decks: any DeckRepository,
        deck: String,
        from: Int64,
        to: Int64,
        at instant: Instant,
        limit: Int = .max
    ) async throws -> DeckDiff {
        var diff = DeckDiff(from: from, to: to, at: instant, limit: limit)
        let recent = try await decks.rates(deck: deck, after: from).filter { $0.deckVersion <= to }
        if !recent.isEmpty {
            // From the start, the versions after `from` are every version there is.
            diff.compare(rates: from == 0 ? recent : try await rateHistories(decks, deck: deck, touching: recent))
        }
        // Subscription, service and template lists are small: read whole.
        diff.compare(numberPrices: try await decks.numberPrices(deck: deck))
        diff.compare(servicePrices: try await decks.servicePrices(deck: deck))
        diff.compare(templates: try await decks.templatePrices(deck: deck))
        return diff
    }

    static func rateHistories(_ decks: any DeckRepository, deck: String, touching recent: [Rate]) async throws -> [Rate] {
        let keys = Set(recent.map(\.key))
        guard keys.count <= indexedLookupLimit else { return try await decks.rates(deck: deck) }
        struct List: Hashable {
            let product: Product
            let origin: OriginScope
        }
        var prefixes: [List: Set<String>] = [:]
        for key in keys { prefixes[List(product: key.product, origin: key.origin), default: []].formUnion(key.prefix.map { [$0] } ?? []) }
        var history: [Rate] = []
        for (list, listPrefixes) in prefixes {
            let found = try await decks.rates(deck: deck, product: list.product, origin: list.origin, prefixes: listPrefixes.sorted())
            history.append(contentsOf: found.lazy.filter { keys.contains($0.key) })
        }
        return history
    }
}
