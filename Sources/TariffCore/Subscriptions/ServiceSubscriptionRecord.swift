/// A SIP registration or plan as Tariff's own interfaces show it: fees as exact text with 8
/// decimals, instants in ISO 8601, and this period's included units.
public struct ServiceSubscriptionRecord: Encodable, Sendable, Hashable {
    /// One product's included units in the period in force.
    public struct Included: Encodable, Sendable, Hashable {
        let product: String
        let variant: String?
        let included: Int
        let used: Int
        let left: Int
        let periodStart: String
        let periodEnd: String
    }

    public let id: Int64
    public let accountId: Int64
    public let template: String
    public let type: String
    public let label: String
    public let attributes: [String: String]
    public let state: String
    public let startedAt: String
    public let paidUntil: String
    /// When the next monthly fee is due; absent once cancelled or over.
    public let nextRenewal: String?
    public let installationFee: String
    public let monthlyFee: String
    public let currency: String?
    public let endedAt: String?
    /// The units included in the period in force (packages); unused units lapse at its end.
    public let included: [Included]

    public init(_ subscription: ServiceSubscription, currency: CurrencyCode? = nil, allowances: [AllowanceBalance] = []) {
        id = subscription.id
        accountId = subscription.accountID
        template = subscription.template
        type = subscription.type
        label = subscription.label
        attributes = subscription.attributes
        state = subscription.state.rawValue
        startedAt = subscription.startedAt.iso8601
        paidUntil = subscription.paidUntil.iso8601
        nextRenewal = subscription.state == .active || subscription.state == .suspended ? subscription.paidUntil.iso8601 : nil
        installationFee = subscription.installation.formatted(decimals: Amount.scale)
        monthlyFee = subscription.monthly.formatted(decimals: Amount.scale)
        self.currency = currency?.rawValue
        endedAt = subscription.endedAt?.iso8601
        included = allowances.filter { $0.subscriptionID == subscription.id }.map {
            Included(
                product: $0.product,
                variant: $0.variant,
                included: $0.included,
                used: $0.used,
                left: $0.left,
                periodStart: $0.periodStart.iso8601,
                periodEnd: $0.periodEnd.iso8601
            )
        }
    }
}
