public import TariffCore

/// Numbers in stock and the subscriptions that rent them out. A number is in stock while no
/// live subscription holds it; renting takes it out and charges its fees in one transaction.
public protocol NumberRepository: Sendable {
    /// Adds numbers to stock, all or none; a number already known is left as it is.
    /// Returns how many were added.
    func addToStock(_ numbers: [NewStockNumber], now: Instant) async throws -> Int
    /// Numbers in stock that match, by number, with how many match in all.
    func available(_ filter: StockFilter) async throws -> (numbers: [StockNumber], total: Int)
    /// How many numbers are in stock per country, category and region.
    func stockCounts() async throws -> [NumberPriceKey: Int]
    /// Rents numbers to an account: takes them out of stock and posts each one's installation
    /// fee and first month, all in one transaction. `fees` prices a number in the account's
    /// currency. Throws `NumberError` (and changes nothing) when a number is not in stock, too
    /// few are, the account cannot pay, or `fees` throws.
    func rent(
        _ request: RentalRequest,
        now: Instant,
        fees: @escaping @Sendable (StockNumber) throws -> SubscriptionFees
    ) async throws -> [RentedSubscription]
    /// An account's subscriptions (or every account's when `accountID` is nil) that match.
    func subscriptions(_ query: SubscriptionQuery) async throws -> (subscriptions: [Subscription], total: Int)
    /// Gives numbers back: each live subscription of the account among `ids` is cancelled (kept
    /// until the end of its paid period, never renewed) or, when suspended, ended at once.
    /// Returns the ids changed; throws `NumberError.notFound` when one is not the account's.
    func cancel(accountID: Int64, subscriptionIDs: [Int64], now: Instant) async throws -> [Int64]
    /// Renews what is due at `now`, in its own transactions: each period's monthly fee posted
    /// once (a ledger key per subscription and period), a subscription that cannot be paid
    /// suspended, a suspended one resumed with a charge once it can be paid, a cancelled one
    /// ended at the end of its paid period. Safe to run from several servers at once.
    func renew(now: Instant) async throws -> RenewalReport
}

/// Which numbers in stock to list.
public struct StockFilter: Sendable, Hashable {
    public var country: String?
    public var category: String?
    public var regionCode: String?
    /// Only numbers whose digits start with these.
    public var prefix: String?
    public var limit: Int
    public var offset: Int

    public init(country: String? = nil, category: String? = nil, regionCode: String? = nil, prefix: String? = nil, limit: Int = 100, offset: Int = 0)
    {
        self.country = country
        self.category = category
        self.regionCode = regionCode
        self.prefix = prefix
        self.limit = limit
        self.offset = offset
    }
}

/// What an account asks to rent: given numbers, or a count of any numbers of a kind.
public struct RentalRequest: Sendable, Hashable {
    public enum Selection: Sendable, Hashable {
        case numbers([PhoneNumber])
        case count(Int, country: String, category: String, regionCode: String?)
    }

    public let accountID: Int64
    public let selection: Selection

    public init(accountID: Int64, selection: Selection) {
        self.accountID = accountID
        self.selection = selection
    }

    /// The most numbers one request may rent: enough for any order, and one transaction stays short.
    public static let maxCount = 1000
}

/// A number's fees in the account's currency, with what explains them.
public struct SubscriptionFees: Sendable, Hashable {
    public let installation: Amount
    public let monthly: Amount
    /// The price row, its currency and any conversion, for the transactions' descriptions.
    public let note: String
    /// How each fee was computed, recorded with its charges (renewals reuse the monthly one).
    public let installationExplanation: ChargeExplanation?
    public let monthlyExplanation: ChargeExplanation?
    /// The currency the fees were converted into (the account's when they were priced): the
    /// ledger refuses the first charges if the account's currency changed in the meantime.
    public let currency: CurrencyCode?

    public init(
        installation: Amount,
        monthly: Amount,
        note: String,
        installationExplanation: ChargeExplanation? = nil,
        monthlyExplanation: ChargeExplanation? = nil,
        currency: CurrencyCode? = nil
    ) {
        self.currency = currency
        self.installation = installation
        self.monthly = monthly
        self.note = note
        self.installationExplanation = installationExplanation
        self.monthlyExplanation = monthlyExplanation
    }
}

/// A rental made: the subscription and the transactions that paid for it.
public struct RentedSubscription: Sendable, Hashable {
    public let subscription: Subscription
    public let transactions: [LedgerTransaction]

    public init(subscription: Subscription, transactions: [LedgerTransaction]) {
        self.subscription = subscription
        self.transactions = transactions
    }
}

/// Which subscriptions to list.
public struct SubscriptionQuery: Sendable, Hashable {
    public var accountID: Int64?
    public var ids: [Int64]?
    /// Only subscriptions of these stock numbers.
    public var numberIDs: [Int64]?
    /// Only these numbers' digits (no `+`).
    public var numbers: [String]?
    public var states: Set<Subscription.State>?
    public var country: String?
    public var category: String?
    /// `paidUntil` (the next renewal) in `[renewalFrom, renewalUntil)`.
    public var renewalFrom: Instant?
    public var renewalUntil: Instant?
    public var limit: Int
    public var offset: Int

    public init(
        accountID: Int64? = nil,
        ids: [Int64]? = nil,
        numberIDs: [Int64]? = nil,
        numbers: [String]? = nil,
        states: Set<Subscription.State>? = nil,
        country: String? = nil,
        category: String? = nil,
        renewalFrom: Instant? = nil,
        renewalUntil: Instant? = nil,
        limit: Int = 100,
        offset: Int = 0
    ) {
        self.accountID = accountID
        self.ids = ids
        self.numberIDs = numberIDs
        self.numbers = numbers
        self.states = states
        self.country = country
        self.category = category
        self.renewalFrom = renewalFrom
        self.renewalUntil = renewalUntil
        self.limit = limit
        self.offset = offset
    }
}

/// What one renewal run did.
public struct RenewalReport: Sendable, Hashable {
    /// Periods charged now (a period charged by another server is not counted).
    public var charged = 0
    public var suspended = 0
    public var resumed = 0
    public var ended = 0

    public init(charged: Int = 0, suspended: Int = 0, resumed: Int = 0, ended: Int = 0) {
        self.charged = charged
        self.suspended = suspended
        self.resumed = resumed
        self.ended = ended
    }
}

/// Why numbers were not rented or given back. Nothing changed when one is thrown.
public enum NumberError: Error, Hashable, Sendable, CustomStringConvertible {
    case unknownAccount(Int64)
    case notInStock(String)
    case notEnoughInStock(wanted: Int, available: Int)
    case invalidCount(Int)
    case insufficientFunds(LedgerError)
    case notFound(Int64)
    case noPrice(String)

    public var description: String {
        switch self {
        case .unknownAccount(let id): "no account \(id)"
        case .notInStock(let number): "the number \(number) is not available"
        case .notEnoughInStock(let wanted, let available): "\(wanted) numbers asked for, \(available) available"
        case .invalidCount(let count): "a count of numbers from 1 to \(RentalRequest.maxCount), not \(count)"
        case .insufficientFunds(let error): "\(error)"
        case .notFound(let id): "no subscription \(id) of this account"
        case .noPrice(let text): text
        }
    }
}
