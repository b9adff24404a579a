public import Logging
import TariffCore

/// The embedded engine: one SQLite file (WAL), zero configuration. Single writer: for
/// several nodes, use the PostgreSQL engine.
public final class SQLiteStore: TariffStore {
    let engine: SQLiteEngine
    let path: String
    public let reference: any ReferenceRepository
    public let decks: any DeckRepository
    public let exchangeRates: any ExchangeRateRepository
    public let accounts: any AccountRepository
    public let serviceKeys: any ServiceKeyRepository
    public let ledger: any LedgerRepository
    public let operatorTokens: any OperatorTokenRepository
    public let plans: any PlanRepository
    public let numbers: any NumberRepository
    public let serviceSubscriptions: any ServiceSubscriptionRepository
    public let audit: any AuditRepository

    /// Opens (creating if needed) the database at `path`; `:memory:` for a private in-memory one.
    public init(path: String, logger: Logger = Logger(label: "tariff.store")) async throws {
        var logger = logger
        logger[metadataKey: "database"] = "\(path)"
        self.path = path
        engine = try await SQLiteEngine(path: path, logger: logger)
        reference = SQLiteReferenceRepository(engine: engine)
        decks = SQLiteDeckRepository(engine: engine)
        exchangeRates = SQLiteExchangeRateRepository(engine: engine)
        accounts = SQLiteAccountRepository(engine: engine)
        serviceKeys = SQLiteServiceKeyRepository(engine: engine)
        ledger = SQLiteLedgerRepository(engine: engine)
        operatorTokens = SQLiteOperatorTokenRepository(engine: engine)
        plans = SQLitePlanRepository(engine: engine)
        numbers = SQLiteNumberRepository(engine: engine)
        serviceSubscriptions = SQLiteServiceSubscriptionRepository(engine: engine)
        audit = SQLiteAuditRepository(engine: engine)
    }

    /// `tariff.sqlite.base.book` beside `tariff.sqlite`.
    public func bookFilePath(deck: String) -> String? {
        guard path != ":memory:", !path.isEmpty, deck.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else { return nil }
        return "\(path).\(deck).book"
    }

    public func migrate() async throws {
        try await SQLiteMigrations.apply(on: engine, now: Instant.now().secondsSince1970)
    }

    public var connectionUse: ConnectionUse { engine.connectionUse }

    public var knownSchemaVersion: Int { SQLiteMigrations.latestVersion }

    public func schemaVersion() async throws -> Int {
        Int(try await engine.select("SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations") { try $0.int("v") }.first ?? 0)
    }

    /// SQLite has no way to announce a change to another process: servers poll.
    public func listenForChanges(_ changed: @escaping @Sendable () -> Void) async throws {}

    public func close() async throws { try await engine.close() }
}
