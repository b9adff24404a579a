import Logging
import SQLiteNIO

/// A schema change, applied once, in order of its number.
protocol SQLiteMigration: Sendable {
    var version: Int { get }
    var name: String { get }
    var statements: [String] { get }
}

/// Every migration, in order. Add new ones at the end with the next number; never edit one
/// that has shipped.
enum SQLiteMigrations {
    static let all: [any SQLiteMigration] = [
        InitialSchema001(),
        Accounts002(),
        ServiceKeys003(),
        RateLookups004(),
        Ledger005(),
        OperatorTokens006(),
        Numbers007(),
        ChargeBases008(),
        ServicePrices009(),
        ServiceSubscriptions010(),
        Revisions011(),
        AuditAndClosing012(),
        PricePlans013(),
    ]

    /// The newest migration this build knows.
    static var latestVersion: Int { all.map(\.version).max() ?? 0 }

    static func apply(on engine: SQLiteEngine, now: Int64) async throws {
        try await engine.transaction { connection in
            _ = try await connection.query(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)
                """
            )
            let applied = try await connection.query("SELECT version FROM schema_migrations").compactMap { $0.column("version")?.integer }
            let known = latestVersion
            if let newest = applied.max(), newest > known {
                throw StoreError.newerSchema(found: newest, known: known)
            }
            for migration in all where !applied.contains(migration.version) {
                for statement in migration.statements { _ = try await connection.query(statement) }
                _ = try await connection.query(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    [.int(migration.version), .text(migration.name), .int(now)]
                )
                engine.logger.info("migration applied", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
            }
        }
    }
}
