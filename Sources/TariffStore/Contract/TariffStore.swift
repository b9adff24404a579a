import TariffCore

/// The store contract. SQLite implements it (a file, zero configuration) and PostgreSQL (a
/// server, for several nodes); the same contract tests run against both.
public protocol TariffStore: Sendable {
    /// Countries, currencies, networks and number ranges.
    var reference: any ReferenceRepository { get }
    /// Deck versions and their prices, append-only.
    var decks: any DeckRepository { get }
    /// Exchange rates by day.
    var exchangeRates: any ExchangeRateRepository { get }
    /// Accounts and their API keys.
    var accounts: any AccountRepository { get }
    /// Accounts' balances, credit limits and transactions.
    var ledger: any LedgerRepository { get }
    /// Voximplant service keys of accounts.
    var serviceKeys: any ServiceKeyRepository { get }
    /// Numbers in stock and the subscriptions that rent them.
    var numbers: any NumberRepository { get }
    /// SIP registrations and plans (packages) of accounts, with their included units.
    var serviceSubscriptions: any ServiceSubscriptionRepository { get }
    /// Operators' tokens for the admin routes.
    var operatorTokens: any OperatorTokenRepository { get }
    /// Price plans and the accounts on them.
    var plans: any PlanRepository { get }
    /// What operators did, append-only.
    var audit: any AuditRepository { get }
    /// Where a compiled book of `deck` may be kept between runs (``RateBookFile``), beside
    /// the data it was compiled from; nil when there is no such place (an in-memory database).
    func bookFilePath(deck: String) -> String?
    /// How busy the engine's connections are (the writer and readers; the pool).
    var connectionUse: ConnectionUse { get }
    /// Creates or upgrades the schema to the latest migration.
    func migrate() async throws
    /// The newest migration applied to the database.
    func schemaVersion() async throws -> Int
    /// The newest migration this build knows for this engine: `schemaVersion()` equals it once
    /// the database is migrated.
    var knownSchemaVersion: Int { get }
    /// Calls `changed` when listening begins and whenever another process stores a deck
    /// version or exchange rates, until the calling task is cancelled; returns at once on an
    /// engine that cannot tell (SQLite), whose servers find changes by polling alone.
    func listenForChanges(_ changed: @escaping @Sendable () -> Void) async throws
    /// Waits for the statement under way, then closes the database; the store is not used after.
    func close() async throws
}
