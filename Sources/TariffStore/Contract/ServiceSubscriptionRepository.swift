public import TariffCore

/// Accounts' subscriptions that are not numbers: SIP registrations and plans (packages), with
/// the units plans include each period. Charged in the same transactions that change them.
public protocol ServiceSubscriptionRepository: Sendable {
    /// Subscribes an account to a template: posts the installation fee and the first month and
    /// grants the first period's included units, in one transaction. For a plan, the account's
    /// live plan of the same type is ended at once (its units with it) unless it is the same
    /// template, which is then returned as it is, charged nothing. Throws `NumberError` (and
    /// changes nothing) when the account is unknown or cannot pay.
    func subscribe(_ request: ServiceSubscriptionRequest, now: Instant, fees: SubscriptionFees) async throws -> RentedServiceSubscription
    /// An account's subscriptions (every account's when `accountID` is nil) that match, by id.
    func subscriptions(_ query: ServiceSubscriptionQuery) async throws -> [ServiceSubscription]
    /// Cancels the account's subscriptions among `ids`: each stays until the end of its paid
    /// period and is never renewed (a suspended one ends at once). Returns the ids changed;
    /// throws `NumberError.notFound` when one is not the account's.
    func cancel(accountID: Int64, ids: [Int64], now: Instant) async throws -> [Int64]
    /// Renews what is due at `now`, as ``NumberRepository/renew(now:)`` does for numbers, and
    /// grants each new period's included units once.
    func renew(now: Instant) async throws -> RenewalReport
    /// ``renew(now:)`` for one account's subscriptions only: what usage charging runs first, so
    /// that usage in a new period draws on that period's units.
    func renew(accountID: Int64, now: Instant) async throws -> RenewalReport
    /// The account's included units in periods that contain `at`, by subscription and product.
    func allowances(accountID: Int64, at: Instant) async throws -> [AllowanceBalance]
}

/// What an account subscribes to.
public struct ServiceSubscriptionRequest: Sendable, Hashable {
    public let accountID: Int64
    public let template: String
    public let terms: TemplateTerms
    public let label: String
    public let attributes: [String: String]

    public init(accountID: Int64, template: String, terms: TemplateTerms, label: String, attributes: [String: String]) {
        self.accountID = accountID
        self.template = template
        self.terms = terms
        self.label = label
        self.attributes = attributes
    }
}

/// A subscription made (or, for a plan already held, found) and the transactions that paid for it.
public struct RentedServiceSubscription: Sendable, Hashable {
    public let subscription: ServiceSubscription
    public let transactions: [LedgerTransaction]

    public init(subscription: ServiceSubscription, transactions: [LedgerTransaction]) {
        self.subscription = subscription
        self.transactions = transactions
    }
}

/// Which service subscriptions to list.
public struct ServiceSubscriptionQuery: Sendable, Hashable {
    public var accountID: Int64?
    public var ids: [Int64]?
    /// Only these types (`SIP_REGISTRATION`, or plan types).
    public var types: Set<String>?
    /// Only plans (every type but SIP registrations).
    public var plansOnly: Bool
    public var states: Set<Subscription.State>?

    public init(
        accountID: Int64? = nil,
        ids: [Int64]? = nil,
        types: Set<String>? = nil,
        plansOnly: Bool = false,
        states: Set<Subscription.State>? = nil
    ) {
        self.accountID = accountID
        self.ids = ids
        self.types = types
        self.plansOnly = plansOnly
        self.states = states
    }
}
