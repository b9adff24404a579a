public import Logging
import TariffCore

/// The server engine: every node of a cluster opens the same PostgreSQL database; requests
/// never wait for it for a price (each node compiles its own rate book).
public final class PostgresStore: TariffStore {
    let engine: PostgresEngine
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

    /// Connects to `address`; fails with one line naming what to fix when the server cannot be
    /// reached or refuses the user.
    public convenience init(address: PostgresAddress, logger: Logger = Logger(label: "tariff.store")) async throws {
        try await self.init(address: address, schema: nil, logger: logger)
    }

    /// `schema`, when given, is the only one the store sees (tests give each store a schema of
    /// its own in one database).
    init(address: PostgresAddress, schema: String?, logger: Logger) async throws {
        var logger = logger
        logger[metadataKey: "database"] = "\(address)"
        engine = try await PostgresEngine(address: address, schema: schema, logger: logger)
        reference = PostgresReferenceRepository(engine: engine)
        decks = PostgresDeckRepository(engine: engine)
        exchangeRates = PostgresExchangeRateRepository(engine: engine)
        accounts = PostgresAccountRepository(engine: engine)
        serviceKeys = PostgresServiceKeyRepository(engine: engine)
        ledger = PostgresLedgerRepository(engine: engine)
        operatorTokens = PostgresOperatorTokenRepository(engine: engine)
        plans = PostgresPlanRepository(engine: engine)
        numbers = PostgresNumberRepository(engine: engine)
        serviceSubscriptions = PostgresServiceSubscriptionRepository(engine: engine)
        audit = PostgresAuditRepository(engine: engine)
    }

    /// None: a node keeps no file of its own; each compiles its book from the database.
    public func bookFilePath(deck: String) -> String? { nil }

    public func migrate() async throws {
        try await PostgresMigrations.apply(on: engine, now: Instant.now().secondsSince1970)
    }

    public var connectionUse: ConnectionUse { engine.connectionUse }

    public var knownSchemaVersion: Int { PostgresMigrations.latestVersion }

    public func schemaVersion() async throws -> Int {
        Int(try await engine.select("SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations") { try $0.int("v") }.first ?? 0)
    }

    public func listenForChanges(_ changed: @escaping @Sendable () -> Void) async throws {
        try await engine.listen(changed)
    }

    public func close() async throws { await engine.close() }
}
