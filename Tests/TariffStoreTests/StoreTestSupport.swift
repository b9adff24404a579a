import Foundation
import TariffCore
import Testing

@testable import TariffStore

// MARK: - Shared helpers (also used by DeckImporterTests)

/// Runs `body` with a fresh directory under the temporary directory, removed afterwards.
func withTemporaryDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("tariff-store-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try await body(directory)
}

/// Runs `body` with a fresh store of `engine` (migrated unless told otherwise), closed afterwards
/// whatever happens: an SQLite connection must never be dropped open.
func withStore<T>(
    _ engine: StoreEngine,
    migrated: Bool = true,
    _ body: (any TariffStore, URL) async throws -> T
) async throws -> T {
    try await withTemporaryDirectory { directory in
        let store = try await engine.open(in: directory)
        do {
            if migrated { try await store.migrate() }
            let result = try await body(store, directory)
            try await store.close()
            try await engine.remove(in: directory)
            return result
        } catch {
            try? await store.close()
            try? await engine.remove(in: directory)
            throw error
        }
    }
}

func instant(_ text: String) -> Instant {
    do { return try Instant(parsing: text) } catch { fatalError("bad instant in a test: \(text)") }
}

func amount(_ text: String) -> Amount {
    do { return try Amount(parsing: text) } catch { fatalError("bad amount in a test: \(text)") }
}

func currency(_ text: String) -> CurrencyCode { CurrencyCode(text)! }

func rateValue(_ text: String) -> RateValue {
    do { return try RateValue(parsing: text) } catch { fatalError("bad rate in a test: \(text)") }
}

extension DeckRepository {
    /// Commits on top of whatever the deck holds now, as an import that read it just before would.
    func commitOnLatest(_ commit: DeckCommit) async throws -> DeckVersion {
        var commit = commit
        commit.basedOn = try await latestVersion(deck: commit.deck)
        return try await self.commit(commit)
    }
}
