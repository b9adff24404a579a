import Foundation
import TariffCore
import Testing

@testable import TariffStore

@Suite("SQLite migration 003")
struct SQLiteMigration003Tests {
    @Test("a database at schema 2 keeps its accounts, which get no e-mail, and gains service keys")
    func upgradeFromSchema2() async throws {
        try await withTemporaryDirectory { directory in
            let store = try await SQLiteStore(path: directory.appendingPathComponent("old.sqlite").path, logger: ImportFixture.logger)
            do {
                // Schema 2 as a release before 003 left it.
                let older = SQLiteMigrations.all.filter { $0.version <= 2 }
                try #require(older.count == 2)
                // Through `select`, which runs any statement: this target does not import SQLiteNIO.
                func run(_ sql: String) async throws { try await store.engine.execute(sql) }
                try await run("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)")
                for migration in older {
                    for statement in migration.statements { try await run(statement) }
                    try await run("INSERT INTO schema_migrations VALUES (\(migration.version), '\(migration.name)', 0)")
                }
                try await run("INSERT INTO accounts (name, currency, deck, created_at) VALUES ('old', 'EUR', 'base', 100)")
                try await store.migrate()
                let old = try #require(try await store.accounts.account(name: "old"))
                #expect(old.email == nil && old.createdAt == Instant(secondsSince1970: 100))
                #expect(
                    try await store.serviceKeys.add(keyID: "k", accountID: old.id, publicKeyPEM: "PEM", now: Instant(secondsSince1970: 200)) != nil
                )
                #expect(try await store.serviceKeys.keys(accountID: old.id).count == 1)
                let versions = try await store.engine.select("SELECT version FROM schema_migrations ORDER BY version") { try $0.int("version") }
                #expect(versions == SQLiteMigrations.all.map { Int64($0.version) })
                #expect(versions.starts(with: [1, 2, 3]))
                try await store.close()
            } catch {
                try? await store.close()
                throw error
            }
        }
    }
}
