import TariffCore

/// The store contract. SQLite implements it today (a file, zero configuration); a PostgreSQL
/// engine implements the same protocols for several nodes, and the same contract tests run
/// against both.
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
    /// Operators' tokens for the admin routes.
    var operatorTokens: any OperatorTokenRepository { get }
    /// Where a compiled book of `deck` may be kept between runs (``RateBookFile``), beside
    /// the data it was compiled from; nil when there is no such place (an in-memory database).
    func bookFilePath(deck: String) -> String?
    /// Creates or upgrades the schema to the latest migration.
    func migrate() async throws
    /// Waits for the statement under way, then closes the database; the store is not used after.
    func close() async throws
}
