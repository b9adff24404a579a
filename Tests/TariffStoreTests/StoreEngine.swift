import Foundation
import TariffCore
import Testing

@testable import TariffStore

// MARK: - Engines under test

/// The store engines the contract tests run against. Each case opens a fresh, empty store of
/// its engine.
///
/// PostgreSQL runs when `TARIFF_TEST_POSTGRES` holds a database URL (CI sets it, and sets
/// `TARIFF_REQUIRE_POSTGRES=1` so that a missing server fails the run instead of narrowing it).
/// Each store is a schema of its own in that database, dropped afterwards.
enum StoreEngine: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    static let postgresURL: String? = ProcessInfo.processInfo.environment["TARIFF_TEST_POSTGRES"].flatMap { $0.isEmpty ? nil : $0 }

    /// The engines this run can reach.
    static var all: [StoreEngine] { postgresURL == nil ? [.sqlite] : allCases }

    var testDescription: String { rawValue }

    /// The schema a PostgreSQL store of `directory` lives in: one per directory, so that a
    /// test reopening its store finds its data.
    static func schema(for directory: URL) -> String {
        "t_" + directory.lastPathComponent.lowercased().filter { $0.isLetter || $0.isNumber }
    }

    static func postgresAddress() throws -> PostgresAddress {
        try PostgresAddress(parsing: try #require(postgresURL, "TARIFF_TEST_POSTGRES is not set"))
    }

    /// Opens the store that belongs to `directory` (the same one again when called twice with
    /// the same directory). Not migrated yet.
    func open(in directory: URL) async throws -> any TariffStore {
        switch self {
        case .sqlite:
            return try await SQLiteStore(path: directory.appendingPathComponent("store.sqlite").path, logger: ImportFixture.logger)
        case .postgres:
            let address = try Self.postgresAddress()
            let schema = Self.schema(for: directory)
            let admin = try await PostgresEngine(address: address, logger: ImportFixture.logger)
            try await admin.execute("CREATE SCHEMA IF NOT EXISTS \(schema)")
            await admin.close()
            return try await PostgresStore(address: address, schema: schema, logger: ImportFixture.logger)
        }
    }

    /// Drops what `open(in:)` made outside the directory.
    func remove(in directory: URL) async throws {
        guard self == .postgres else { return }
        let admin = try await PostgresEngine(address: try Self.postgresAddress(), logger: ImportFixture.logger)
        try await admin.execute("DROP SCHEMA IF EXISTS \(Self.schema(for: directory)) CASCADE")
        await admin.close()
    }

    /// Runs one statement on the store's database, past the contract.
    func execute(_ sql: String, on store: any TariffStore) async throws {
        switch self {
        case .sqlite: try await try #require(store as? SQLiteStore).engine.execute(sql)
        case .postgres: try await try #require(store as? PostgresStore).engine.execute(sql)
        }
    }

    /// Makes the engine reject, from now on, every inserted subscription price whose region
    /// name is `regionName`: a commit carrying one fails after its version and rate rows were
    /// already written in the transaction.
    func rejectNumberPrices(in store: any TariffStore, regionName: String) async throws {
        let quoted = regionName.replacingOccurrences(of: "'", with: "''")
        switch self {
        case .sqlite:
            let sqlite = try #require(store as? SQLiteStore, "the sqlite engine opened a \(type(of: store))")
            try await sqlite.engine.execute(
                """
                CREATE TRIGGER reject_number_prices BEFORE INSERT ON number_prices
                WHEN NEW.region_name = '\(quoted)'
                BEGIN SELECT RAISE(ABORT, 'rejected by the test'); END
                """
            )
        case .postgres:
            let postgres = try #require(store as? PostgresStore, "the postgres engine opened a \(type(of: store))")
            try await postgres.engine.execute(
                """
                CREATE FUNCTION reject_number_prices() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN IF NEW.region_name = '\(quoted)' THEN RAISE EXCEPTION 'rejected by the test'; END IF; RETURN NEW; END $$
                """
            )
            try await postgres.engine.execute(
                "CREATE TRIGGER reject_number_prices BEFORE INSERT ON number_prices FOR EACH ROW EXECUTE FUNCTION reject_number_prices()"
            )
        }
    }
}

/// Says in every run whether the PostgreSQL cases ran, and fails a run that requires them
/// (CI) without a server to run them on.
@Suite("Store engines")
struct StoreEngineTests {
    @Test(
        "PostgreSQL cases of the store contract",
        .enabled(
            if: StoreEngine.postgresURL != nil || ProcessInfo.processInfo.environment["TARIFF_REQUIRE_POSTGRES"] == "1",
            "not run: TARIFF_TEST_POSTGRES is not set (postgres://USER:PASSWORD@HOST:PORT/DATABASE); only SQLite was tested"
        )
    )
    func postgresRuns() async throws {
        let address = try StoreEngine.postgresAddress()
        let engine = try await PostgresEngine(address: address, logger: ImportFixture.logger)
        #expect(try await engine.select("SELECT 1 AS one") { try $0.int("one") } == [1])
        await engine.close()
        #expect(StoreEngine.all.contains(.postgres))
    }
}
