public import TariffCore

/// Accounts' money: an append-only ledger of transactions, and each account's balance and
/// credit limit, kept in the same database transaction as the entries that change them.
public protocol LedgerRepository: Sendable {
    /// Records `postings` in order, in one database transaction: each sees the balance the
    /// previous ones left. One outcome per posting, in the same order: a refused posting
    /// changes nothing and does not stop the others; a posting whose reference the account
    /// already holds is `repeated` (same fingerprint) or refused as a conflict, and charges
    /// nothing again. `now` is the recording time.
    func post(_ postings: [LedgerPosting], now: Instant) async throws -> [PostingOutcome]
    /// The account's balance and credit limit; nil when there is no such account.
    func balance(accountID: Int64) async throws -> AccountBalance?
    /// Sets how far below zero charges may take the balance (0: prepaid); false when there
    /// is no such account. Throws `LedgerError.negativeCreditLimit` for a negative limit.
    func setCreditLimit(accountID: Int64, to limit: Amount) async throws -> Bool
    /// The account's transactions that match `query`, by id in the order it asks, with how
    /// many match in all.
    func transactions(_ query: TransactionQuery) async throws -> TransactionPage
    /// Revenue, cost and margin of the usage charges priced through a price plan, by group
    /// and currency, in key order.
    func margin(_ query: MarginQuery) async throws -> [MarginLine]
}

/// Which transactions of an account to read.
public struct TransactionQuery: Sendable, Hashable {
    public var accountID: Int64
    /// Only these types; nil for all.
    public var types: Set<TransactionType>?
    /// Only these ids; nil for all.
    public var ids: [Int64]?
    /// `performedAt` at or after `from` and before `until` (either nil: unbounded).
    public var from: Instant?
    public var until: Instant?
    /// Newest first when true.
    public var descending: Bool
    /// A cursor: only entries after this id in the order asked (not counted in `totalCount`,
    /// which counts every entry the filters match).
    public var afterID: Int64?
    public var offset: Int
    public var limit: Int

    public init(
        accountID: Int64,
        types: Set<TransactionType>? = nil,
        ids: [Int64]? = nil,
        from: Instant? = nil,
        until: Instant? = nil,
        descending: Bool = false,
        afterID: Int64? = nil,
        offset: Int = 0,
        limit: Int = 1000
    ) {
        self.accountID = accountID
        self.types = types
        self.ids = ids
        self.from = from
        self.until = until
        self.descending = descending
        self.afterID = afterID
        self.offset = offset
        self.limit = limit
    }
}

/// One page of transactions and the number that match the query in all.
public struct TransactionPage: Sendable, Hashable {
    public let transactions: [LedgerTransaction]
    public let totalCount: Int

    public init(transactions: [LedgerTransaction], totalCount: Int) {
        self.transactions = transactions
        self.totalCount = totalCount
    }
}
