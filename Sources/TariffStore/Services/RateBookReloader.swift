import Logging
import TariffCore

/// Keeps a ``RateBookCell`` on the deck's newest version: when another process (a
/// `tariff import`) stores a new version, the next ``refresh()`` compiles it off the request
/// path and publishes it.
public struct RateBookReloader: Sendable {
    public let cell: RateBookCell
    let store: any TariffStore
    let reference: ReferenceData
    let logger: Logger

    /// Compiles the deck's current version and holds it.
    public init(store: any TariffStore, reference: ReferenceData, logger: Logger, deck: String = "base") async throws {
        self.store = store
        self.reference = reference
        self.logger = logger
        cell = RateBookCell(try await RateBookLoader.load(store: store, deck: deck, reference: reference))
    }

    /// Checks the stored version (one cheap query) and publishes a newer one; returns whether it did.
    @discardableResult
    public func refresh() async throws -> Bool {
        let held = cell.book
        guard let latest = try await store.decks.latestVersion(deck: held.deck), latest > held.version else { return false }
        let started = ContinuousClock.now
        let book = try await RateBookLoader.load(store: store, deck: held.deck, reference: reference)
        let published = cell.publish(book)
        if published {
            logger.info("rate book published", metadata: [
                "deck": "\(book.deck)", "version": "\(book.version)", "rates": "\(book.count)", "elapsed": "\(ContinuousClock.now - started)",
            ])
        }
        return published
    }
}
