import Foundation
public import Logging
public import TariffCore

/// Builds a deck's ``RateBook``: from the book file beside the store when it is sound, with
/// the versions stored since applied; otherwise compiled from every stored version.
public enum RateBookLoader {
    /// Compiles every stored version of the deck, ignoring any book file.
    public static func load(store: any TariffStore, deck: String = "base", reference: ReferenceData? = nil) async throws -> RateBook {
        let compiledReference: ReferenceData
        if let reference { compiledReference = reference } else { compiledReference = try await store.reference.tables().compile() }
        let version = try await store.decks.latestVersion(deck: deck) ?? 0
        // Rows of a version stored after `version` was read belong to the next book, not this one.
        let rates = try await store.decks.rates(deck: deck).filter { $0.deckVersion <= version }
        let numbers = try await store.decks.numberPrices(deck: deck).filter { $0.deckVersion <= version }
        let services = try await store.decks.servicePrices(deck: deck, after: 0).filter { $0.deckVersion <= version }
        let templates = try await store.decks.templatePrices(deck: deck, after: 0).filter { $0.deckVersion <= version }
        return try RateBook(
            deck: deck,
            version: version,
            reference: compiledReference,
            rates: rates,
            numberPrices: numbers,
            servicePrices: services,
            templatePrices: templates
        )
    }

    /// A book of the deck's newest version holding only the rows that can price `number` for
    /// `product`: those of the number's prefixes and those without a prefix (for an inbound
    /// product, all of its rows). It quotes that number as the whole book does, from a few
    /// indexed reads.
    public static func load(
        store: any TariffStore,
        deck: String = "base",
        reference: ReferenceData,
        pricing number: PhoneNumber,
        product: Product
    ) async throws -> RateBook {
        let version = try await store.decks.latestVersion(deck: deck) ?? 0
        let digits = number.key.digits
        let prefixes = product.isInbound ? nil : (1...digits.count).map { String(digits.prefix($0)) }
        let rates = try await store.decks.rates(deck: deck, product: product, origin: nil, prefixes: prefixes).filter { $0.deckVersion <= version }
        return try RateBook(deck: deck, version: version, reference: reference, rates: rates, numberPrices: [])
    }

    /// A book of the deck's newest version holding only its metered service prices: what
    /// pricing a product that is not a call or a message needs.
    public static func loadServices(store: any TariffStore, deck: String = "base", reference: ReferenceData) async throws -> RateBook {
        let version = try await store.decks.latestVersion(deck: deck) ?? 0
        let services = try await store.decks.servicePrices(deck: deck).filter { $0.deckVersion <= version }
        return try RateBook(deck: deck, version: version, reference: reference, rates: [], numberPrices: [], servicePrices: services)
    }

    /// The deck's newest book the quickest way: the book file when it holds a version of this
    /// database's deck, brought up to date; else compiled. The file is written again when it was
    /// missing, unsound or behind, so that the next start reads it.
    public static func loadUsingFile(
        store: any TariffStore,
        deck: String = "base",
        reference: ReferenceData,
        logger: Logger
    ) async throws -> RateBook {
        guard let path = store.bookFilePath(deck: deck) else { return try await load(store: store, deck: deck, reference: reference) }
        let started = ContinuousClock.now
        var book: RateBook?
        var reason = "no book file"
        if FileManager.default.fileExists(atPath: path) {
            do {
                book = try RateBookFile.read(path: path, deck: deck, versions: try await store.decks.versions(deck: deck), reference: reference)
            } catch let mismatch as RateBookFile.Mismatch {
                reason = mismatch.description
            } catch {
                reason = "the book file is unusable: \(error)"
                logger.warning("rate book file rejected; rebuilding it", metadata: ["file": "\(path)", "reason": "\(error)"])
            }
        }
        let fromFile = book != nil
        var rewrite = !fromFile
        if let held = book, let updated = try await update(held, store: store) {
            book = updated
            rewrite = true
        }
        let loaded: RateBook
        if let book {
            loaded = book
        } else {
            logger.info("compiling the rate book from the store", metadata: ["deck": "\(deck)", "reason": "\(reason)"])
            loaded = try await load(store: store, deck: deck, reference: reference)
        }
        logger.info(
            "rate book loaded",
            metadata: [
                "deck": "\(deck)", "version": "\(loaded.version)", "rates": "\(loaded.count)", "bytes": "\(loaded.byteCount)",
                "bytes_per_rate": "\(loaded.count == 0 ? 0 : loaded.byteCount / loaded.count)", "from_file": "\(fromFile)",
                "elapsed": "\(ContinuousClock.now - started)",
            ]
        )
        if rewrite { try await save(loaded, store: store, logger: logger) }
        return loaded
    }

    /// `book` with the versions stored after its own applied; nil when there are none.
    public static func update(_ book: RateBook, store: any TariffStore) async throws -> RateBook? {
        guard let latest = try await store.decks.latestVersion(deck: book.deck), latest > book.version else { return nil }
        let rates = try await store.decks.rates(deck: book.deck, after: book.version).filter { $0.deckVersion <= latest }
        let numbers = try await store.decks.numberPrices(deck: book.deck, after: book.version).filter { $0.deckVersion <= latest }
        let services = try await store.decks.servicePrices(deck: book.deck, after: book.version).filter { $0.deckVersion <= latest }
        let templates = try await store.decks.templatePrices(deck: book.deck, after: book.version).filter { $0.deckVersion <= latest }
        return try book.applying(version: latest, rates: rates, numberPrices: numbers, servicePrices: services, templatePrices: templates)
    }

    /// Writes `book` to its file; a failure is logged, not thrown (the file only saves time).
    public static func save(_ book: RateBook, store: any TariffStore, logger: Logger) async throws {
        guard let path = store.bookFilePath(deck: book.deck) else { return }
        let version = try await store.decks.versions(deck: book.deck).first { $0.id == book.version }
        guard book.version == 0 || version != nil else { return }
        do {
            try RateBookFile.write(book, stamp: RateBookFile.stamp(of: version), path: path)
        } catch {
            logger.warning("could not write the rate book file", metadata: ["file": "\(path)", "error": "\(error)"])
        }
    }
}
