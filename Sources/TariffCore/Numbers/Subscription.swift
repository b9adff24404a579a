/// A phone number that can be rented out: in stock until a subscription holds it.
public struct StockNumber: Sendable, Hashable {
    public let id: Int64
    public let number: PhoneNumber
    /// ISO country code, the Voximplant category (`GEOGRAPHIC`, `MOBILE`, ...) and the region
    /// code its subscription price is found by (nil: the country's price).
    public let country: String
    public let category: String
    public let regionCode: String?

    public init(id: Int64, number: PhoneNumber, country: String, category: String, regionCode: String?) {
        self.id = id
        self.number = number
        self.country = country
        self.category = category
        self.regionCode = regionCode
    }

    /// Where its subscription price is found in a rate book.
    public var priceKey: NumberPriceKey { NumberPriceKey(country: country, category: category, regionCode: regionCode) }
}

/// A number to put in stock.
public struct NewStockNumber: Sendable, Hashable {
    public let number: PhoneNumber
    public let country: String
    public let category: String
    public let regionCode: String?

    public init(number: PhoneNumber, country: String, category: String, regionCode: String?) {
        self.number = number
        self.country = country
        self.category = category
        self.regionCode = regionCode
    }
}

/// An account's rental of a number: its installation fee charged once, its monthly fee at the
/// start of every period.
public struct Subscription: Sendable, Hashable {
    /// Where a subscription is in its life.
    public enum State: String, Sendable, Hashable, CaseIterable {
        /// Paid up to `paidUntil`, renewed then.
        case active
        /// A renewal found too little money: the number is kept for the account but not
        /// usable, and is charged again (from then on) once the account can pay.
        case suspended
        /// Given back: kept until `paidUntil`, then returned to stock, never renewed.
        case cancelled
        /// Over; the number is back in stock.
        case ended
    }

    public let id: Int64
    public let accountID: Int64
    public let number: StockNumber
    public let state: State
    /// When it was rented: the anchor of its monthly periods.
    public let startedAt: Instant
    /// The end of the last period paid for.
    public let paidUntil: Instant
    /// The fees as agreed at rental, in the account's currency.
    public let installation: Amount
    public let monthly: Amount
    public let endedAt: Instant?

    public init(
        id: Int64,
        accountID: Int64,
        number: StockNumber,
        state: State,
        startedAt: Instant,
        paidUntil: Instant,
        installation: Amount,
        monthly: Amount,
        endedAt: Instant?
    ) {
        self.id = id
        self.accountID = accountID
        self.number = number
        self.state = state
        self.startedAt = startedAt
        self.paidUntil = paidUntil
        self.installation = installation
        self.monthly = monthly
        self.endedAt = endedAt
    }

    /// Whether the account holds the number now (it is not in stock).
    public var isLive: Bool { state != .ended }

    /// The ledger key of the charge for the period starting at `start`: the same period is
    /// never charged twice, whoever tries and however often.
    public static func chargeReference(subscription id: Int64, periodStart start: Instant) -> String {
        "subscription:\(id):\(start.secondsSince1970)"
    }
}
