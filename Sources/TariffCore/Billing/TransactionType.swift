/// What a ledger transaction is, in Voximplant's names (its `transaction_type`), so that a
/// history read by the official SDK needs no translation.
public enum TransactionType: String, Sendable, CaseIterable, Hashable {
    /// Usage, charged at once: calls, messages, any metered service.
    case resourceCharge = "resource_charge"
    /// A subscription's one-time fee (NRC), charged when it starts.
    case subscriptionInstallationCharge = "subscription_installation_charge"
    /// A subscription's periodic fee (MRC), charged when each period starts.
    case subscriptionCharge = "subscription_charge"
    /// Money paid in: a top-up.
    case cardPayment = "card_payment"
    /// An operator's correction, in either direction.
    case adjustment
    /// Money given back for an earlier charge.
    case refund

    /// Whether the transaction spends the account's money, and so must keep the balance at or
    /// above minus the credit limit. Payments, refunds and an operator's adjustments are not
    /// charges: they are always recorded.
    public var isCharge: Bool {
        switch self {
        case .resourceCharge, .subscriptionInstallationCharge, .subscriptionCharge: true
        case .cardPayment, .adjustment, .refund: false
        }
    }
}
