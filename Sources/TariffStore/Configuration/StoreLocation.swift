import Foundation
public import Logging
public import TariffCore

/// Which engine holds the data and where, parsed once when a command starts: the default file
/// gets the demo deck on its first run; a database named explicitly starts with reference data
/// and no prices.
public struct StoreLocation: Sendable, Equatable, CustomStringConvertible {
    public enum Engine: Sendable, Equatable {
        /// A file (or `:memory:`): the embedded engine.
        case sqlite(path: String)
        /// A database on a PostgreSQL server.
        case postgres(PostgresAddress)
    }

    public static let defaultPath = "./tariff.sqlite"

    public let engine: Engine
    public let isDefault: Bool

    /// `--database` wins over `TARIFF_DATABASE` in this process's environment, which wins
    /// over `./tariff.sqlite`.
    public init(option: String?) throws(LocationError) {
        try self.init(option: option, environment: ProcessInfo.processInfo.environment)
    }

    /// `--database` wins over `TARIFF_DATABASE` in `environment`, which wins over `./tariff.sqlite`.
    /// A `postgres://` or `postgresql://` URL selects PostgreSQL; anything else without a
    /// scheme is a file path.
    public init(option: String?, environment: [String: String]) throws(LocationError) {
        let given = [option, environment["TARIFF_DATABASE"]].compactMap { $0 }.first { !$0.isEmpty }
        guard let given else {
            engine = .sqlite(path: Self.defaultPath)
            isDefault = true
            return
        }
        isDefault = false
        let lowered = given.lowercased()
        if lowered.hasPrefix("postgres://") || lowered.hasPrefix("postgresql://") {
            engine = .postgres(try PostgresAddress(parsing: given))
        } else if let scheme = given.range(of: "://") {
            throw LocationError(
                "unsupported database '\(given[..<scheme.lowerBound])://…': give a file path (SQLite) or postgres://USER:PASSWORD@HOST:PORT/DATABASE"
            )
        } else {
            engine = .sqlite(path: given)
        }
    }

    /// The SQLite file, when that is the engine.
    public var sqlitePath: String? {
        if case .sqlite(let path) = engine { return path }
        return nil
    }

    /// For logs and messages: the file, or the URL without its password.
    public var description: String {
        switch engine {
        case .sqlite(let path): path
        case .postgres(let address): address.description
        }
    }

    /// Opens the database, migrating it and loading reference data (and the demo deck, for
    /// the default database) when it is new: when it holds no reference data yet.
    /// - Parameter announce: told, in a sentence, when this call prepared a new database.
    public func open(logger: Logger, now: Instant = .now(), announce: (@Sendable (String) -> Void)? = nil) async throws -> any TariffStore {
        let store: any TariffStore
        switch engine {
        case .sqlite(let path): store = try await SQLiteStore(path: path, logger: logger)
        case .postgres(let address): store = try await PostgresStore(address: address, logger: logger)
        }
        do {
            try await store.migrate()
            guard try await !store.reference.isLoaded() else { return store }
            try await store.reference.load(try ShippedReferenceData.tables())
            logger.info("reference data loaded")
            if isDefault {
                try await DemoDeck.load(into: store, logger: logger, now: now)
                announce?(
                    "created \(self) with the reference data and the demo deck (example prices, not a carrier's); import your own with `tariff import`"
                )
            } else if sqlitePath != ":memory:" {
                // A file is created; a PostgreSQL database exists already and is filled.
                let made = sqlitePath == nil ? "prepared" : "created"
                announce?("\(made) \(self) with the reference data and no prices; import a deck with `tariff import`")
            }
        } catch {
            try? await store.close()
            throw error
        }
        return store
    }
}
