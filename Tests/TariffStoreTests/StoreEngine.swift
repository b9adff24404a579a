import Foundation
import TariffCore
import Testing

@testable import TariffStore

// MARK: - Engines under test

/// The store engines the contract tests run against. Each case opens a fresh, empty store of
/// its engine; a PostgreSQL case joins SQLite here when that engine exists.
enum StoreEngine: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite

    static var all: [StoreEngine] { allCases }

    var testDescription: String { rawValue }

    /// Opens the store that belongs to `directory` (the same one again when called twice with
    /// the same directory). Not migrated yet.
    func open(in directory: URL) async throws -> any TariffStore {
        switch self {
        case .sqlite:
            try await SQLiteStore(path: directory.appendingPathComponent("store.sqlite").path, logger: ImportFixture.logger)
        }
    }

    /// Makes the engine reject, from now on, every inserted subscription price whose region
    /// name is `regionName`: a commit carrying one fails after its version and rate rows were
    /// already written in the transaction.
    func rejectNumberPrices(in store: any TariffStore, regionName: String) async throws {
        switch self {
        case .sqlite:
            let sqlite = try #require(store as? SQLiteStore, "the sqlite engine opened a \(type(of: store))")
            let quoted = regionName.replacingOccurrences(of: "'", with: "''")
            _ = try await sqlite.engine.select(
                """
                CREATE TRIGGER reject_number_prices BEFORE INSERT ON number_prices
                WHEN NEW.region_name = '\(quoted)'
                BEGIN SELECT RAISE(ABORT, 'rejected by the test'); END
                """
            ) { _ in 0 }
        }
    }
}
