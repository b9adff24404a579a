public import Logging
public import TariffCore

/// Keeps a ``RateBookCell`` on the deck's newest version: when another process (a
/// `tariff import`) stores a new version, the next ``refresh()`` applies the rows that
/// version added to the book in force, off the request path, and publishes the result.
public struct RateBookReloader: Sendable {
    public let cell: RateBookCell
    let store: any TariffStore
    let reference: ReferenceData
    let logger: Logger

    /// Loads the deck's current version (from the book file when it is sound) and holds it.
    public init(store: any TariffStore, reference: ReferenceData, logger: Logger, deck: String = "base") async throws {
        self.store = store
        self.reference = reference
        self.logger = logger
        cell = RateBookCell(try await RateBookLoader.loadUsingFile(store: store, deck: deck, reference: reference, logger: logger))
    }

    /// Checks the stored version (one cheap query) and publishes a newer one; returns whether it did.
    @discardableResult
    public func refresh() async throws -> Bool { try await publishNewer() != nil }

    /// A version put in service, and what it took: applying the new rows, then the swap.
    public struct Publication: Sendable {
        public let book: RateBook
        public let compile: Duration
        public let swap: Duration
    }

    /// ``refresh()``, telling what was published and how long it took (nil: nothing newer).
    public func publishNewer() async throws -> Publication? {
        let held = cell.book
        let started = ContinuousClock.now
        guard let book = try await RateBookLoader.update(held, store: store) else { return nil }
        let compiled = ContinuousClock.now
        guard cell.publish(book) else { return nil }
        let swapped = ContinuousClock.now
        logger.info(
            "rate book published",
            metadata: [
                "deck": "\(book.deck)", "version": "\(book.version)", "rates": "\(book.count)", "added": "\(book.count - held.count)",
                "elapsed": "\(swapped - started)",
            ]
        )
        // After publishing: the file only speeds up the next start.
        try await RateBookLoader.save(book, store: store, logger: logger)
        return Publication(book: book, compile: compiled - started, swap: swapped - compiled)
    }
}
