import Logging

/// A schema change on PostgreSQL, applied once, in order of its number. PostgreSQL's
/// migrations are numbered on their own: the engine started with the schema SQLite had
/// reached at its migration 011.
protocol PostgresMigration: Sendable {
    var version: Int { get }
    var name: String { get }
    var statements: [String] { get }
}

/// Every migration, in order. Add new ones at the end with the next number; never edit one
/// that has shipped.
enum PostgresMigrations {
    static let all: [any PostgresMigration] = [
        Schema001(),
        AuditAndClosing002(),
        PricePlans003(),
    ]

    /// The newest migration this build knows.
    static var latestVersion: Int { all.map(\.version).max() ?? 0 }

    /// Applies what is missing, in one transaction. Nodes that start together take turns on an
    /// advisory lock: the second finds the work done.
    static func apply(on engine: PostgresEngine, now: Int64) async throws {
        try await engine.transaction { transaction in
            try await transaction.execute("SELECT pg_advisory_xact_lock(7265617246)")
            try await transaction.execute(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)
                """
            )
            let applied = try await transaction.select("SELECT version FROM schema_migrations") { try $0.int("version") }
            let known = latestVersion
            if let newest = applied.max(), newest > known {
                throw StoreError.newerSchema(found: Int(newest), known: known)
            }
            for migration in all where !applied.contains(Int64(migration.version)) {
                for statement in migration.statements { try await transaction.execute(statement) }
                try await transaction.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    [.int(migration.version), .text(migration.name), .int(now)]
                )
                engine.logger.info("migration applied", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
            }
        }
    }
}
