/// An account's subscription to a template that is not a number: a SIP registration or a
/// plan (package). Charged and renewed as a rented number is: its installation fee once, its
/// monthly fee at the start of every period, the same states.
public struct ServiceSubscription: Sendable, Hashable {
    public let id: Int64
    public let accountID: Int64
    /// The template's name in the deck, and its type (`SIP_REGISTRATION`, `MAU`, ...).
    public let template: String
    public let type: String
    /// What the subscriber calls it: a SIP registration's user name, a plan's name.
    public let label: String
    /// What the subscriber gave when subscribing (a SIP registration's proxy, auth user, ...),
    /// kept and shown back. Never a password: those are not stored.
    public let attributes: [String: String]
    public let state: Subscription.State
    public let startedAt: Instant
    /// The end of the last period paid for.
    public let paidUntil: Instant
    /// The fees as agreed when subscribing, in the account's currency.
    public let installation: Amount
    public let monthly: Amount
    /// The units included every period, as agreed when subscribing.
    public let includes: [Allowance]
    public let endedAt: Instant?

    public init(
        id: Int64,
        accountID: Int64,
        template: String,
        type: String,
        label: String,
        attributes: [String: String],
        state: Subscription.State,
        startedAt: Instant,
        paidUntil: Instant,
        installation: Amount,
        monthly: Amount,
        includes: [Allowance],
        endedAt: Instant?
    ) {
        self.id = id
        self.accountID = accountID
        self.template = template
        self.type = type
        self.label = label
        self.attributes = attributes
        self.state = state
        self.startedAt = startedAt
        self.paidUntil = paidUntil
        self.installation = installation
        self.monthly = monthly
        self.includes = includes
        self.endedAt = endedAt
    }

    public var isSIPRegistration: Bool { type == TemplateTerms.sipRegistration }

    /// The ledger key of the monthly fee of the period starting at `start`: never charged twice.
    public static func chargeReference(subscription id: Int64, periodStart start: Instant) -> String {
        "service-subscription:\(id):\(start.secondsSince1970)"
    }
}

/// A package's included units of one product for one period, and how many were used.
public struct AllowanceBalance: Sendable, Hashable {
    public let subscriptionID: Int64
    public let template: String
    public let product: String
    public let variant: String?
    public let periodStart: Instant
    public let periodEnd: Instant
    public let included: Int
    public let used: Int

    public init(
        subscriptionID: Int64,
        template: String,
        product: String,
        variant: String?,
        periodStart: Instant,
        periodEnd: Instant,
        included: Int,
        used: Int
    ) {
        self.subscriptionID = subscriptionID
        self.template = template
        self.product = product
        self.variant = variant
        self.periodStart = periodStart
        self.periodEnd = periodEnd
        self.included = included
        self.used = used
    }

    public var left: Int { included - used }
}
