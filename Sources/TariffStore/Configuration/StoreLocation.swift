import Foundation
public import Logging
public import TariffCore

/// Where the database is and how it was chosen: the default file gets the demo deck on its
/// first run; a database named explicitly starts with reference data and no prices.
public struct StoreLocation: Sendable, Equatable {
    public static let defaultPath = "./tariff.sqlite"

    public let path: String
    public let isDefault: Bool

    /// `--database` wins over `TARIFF_DATABASE` in this process's environment, which wins
    /// over `./tariff.sqlite`.
    public init(option: String?) {
        self.init(option: option, environment: ProcessInfo.processInfo.environment)
    }

    /// `--database` wins over `TARIFF_DATABASE` in `environment`, which wins over `./tariff.sqlite`.
    public init(option: String?, environment: [String: String]) {
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
                announce?(
                    "created \(path) with the reference data and the demo deck (example prices, not a carrier's); import your own with `tariff import`"
                )
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
