import Logging
import TariffCore

extension DemoDeck {
    /// Imports the shipped demo deck (and demo exchange rates) as deck versions marked demo.
    static func load(into store: any TariffStore, logger: Logger, now: Instant) async throws {
        let reference = try await store.reference.tables().compile()
        let importer = DeckImporter(store: store, reference: reference, logger: logger)
        for file in try files() {
            let options = DeckOptions(kind: file.kind, now: now)
            _ = try await importer.importFile(path: file.path, options: options, isDemo: true)
        }
        if let fx = exchangeRatesPath() {
            _ = try await ExchangeRateImporter(store: store, reference: reference).importFile(path: fx, now: now)
        }
        logger.info("demo deck loaded")
    }
}
