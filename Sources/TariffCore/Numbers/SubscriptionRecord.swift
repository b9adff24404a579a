/// A subscription as Tariff's own interfaces show it (the native API and the command line's
/// JSON): fees as exact text with 8 decimals, instants in ISO 8601.
public struct SubscriptionRecord: Encodable, Sendable, Hashable {
    public let id: Int64
    public let accountId: Int64
    public let number: String
    public let country: String
    public let category: String
    public let region: String?
    public let state: String
    public let startedAt: String
    public let paidUntil: String
    /// When the next monthly fee is due; absent once the subscription is cancelled or over.
    public let nextRenewal: String?
    public let installationFee: String
    public let monthlyFee: String
    /// The account's currency, when the caller knows it.
    public let currency: String?
    public let endedAt: String?

    public init(_ subscription: Subscription, currency: CurrencyCode? = nil) {
        id = subscription.id
        accountId = subscription.accountID
        number = subscription.number.number.e164
        country = subscription.number.country
        category = subscription.number.category
        region = subscription.number.regionCode
        state = subscription.state.rawValue
        startedAt = subscription.startedAt.iso8601
        paidUntil = subscription.paidUntil.iso8601
        nextRenewal = subscription.state == .active || subscription.state == .suspended ? subscription.paidUntil.iso8601 : nil
        installationFee = subscription.installation.formatted(decimals: Amount.scale)
        monthlyFee = subscription.monthly.formatted(decimals: Amount.scale)
        self.currency = currency?.rawValue
        endedAt = subscription.endedAt?.iso8601
    }
}
