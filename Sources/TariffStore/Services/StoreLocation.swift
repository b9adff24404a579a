import Foundation
import Logging
import TariffCore

/// Where the database is and how it was chosen: the default file gets the demo deck on its
/// first run; a database named explicitly starts with reference data and no prices.
public struct StoreLocation: Sendable, Equatable {
    public static let defaultPath = "./tariff.sqlite"

    public let path: String
    public let isDefault: Bool

    /// `--database` wins over `TARIFF_DATABASE`, which wins over `./tariff.sqlite`.
    public init(option: String?, environment: [String: String] = ProcessInfo.processInfo.environment) {
        if let option, !option.isEmpty {
            path = option
            isDefault = false
        } else if let fromEnvironment = environment["TARIFF_DATABASE"], !fromEnvironment.isEmpty {
            path = fromEnvironment
            isDefault = false
        } else {
            path = Self.defaultPath
            isDefault = true
        }
    }

    /// Opens the database, migrating it and loading reference data (and the demo deck, for
    /// the default database) when it is new.
    /// - Parameter announce: told, in a sentence, when this call created the database.
    public func open(logger: Logger, now: Instant = .now(), announce: (@Sendable (String) -> Void)? = nil) async throws -> any TariffStore {
        if path.hasPrefix("postgres://") || path.hasPrefix("postgresql://") || path.contains("://") {
            throw StoreError.unsupportedURL(path)
        }
        let isNew = path == ":memory:" || !FileManager.default.fileExists(atPath: path)
        let store = try await SQLiteStore(path: path, logger: logger)
        do {
            try await store.migrate()
            if try await !store.reference.isLoaded() {
                try await store.reference.load(try ShippedReferenceData.tables())
                logger.info("reference data loaded")
            }
            if isNew, isDefault {
                try await DemoDeck.load(into: store, logger: logger, now: now)
                announce?("created \(path) with the reference data and the demo deck (example prices, not a carrier's); import your own with `tariff import`")
            } else if isNew, path != ":memory:" {
                announce?("created \(path) with the reference data and no prices; import a deck with `tariff import`")
            }
        } catch {
            try? await store.close()
            throw error
        }
        return store
    }
}

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
