/// Why the ledger refused a posting or a setting. Nothing is recorded when one is thrown.
public enum LedgerError: Error, Hashable, Sendable, CustomStringConvertible {
    case wrongSign(TransactionType, Amount)
    case insufficientFunds(balance: LedgerTotal, creditLimit: Amount, charge: Amount)
    /// The key was used before for a posting with another fingerprint.
    case referenceConflict(String)
    case invalidReference(Int)
    case descriptionTooLong(Int)
    case unknownAccount(Int64)
    /// A charge on an account the operator closed.
    case closedAccount(Int64)
    /// A charge priced in a currency the account no longer has: the operator changed it while
    /// the charge was being priced. Pricing it again gives the right amount.
    case currencyChanged(pricedIn: CurrencyCode, account: CurrencyCode)
    case negativeCreditLimit(Amount)
    case overflow

    public var description: String {
        switch self {
        case .wrongSign(let type, let amount):
            switch type {
            case .resourceCharge, .subscriptionInstallationCharge, .subscriptionCharge:
                "a \(type.rawValue) spends money: its amount must be negative or zero, not \(amount.plainText)"
            case .cardPayment, .refund: "a \(type.rawValue) adds money: its amount must be positive, not \(amount.plainText)"
            case .adjustment: "an adjustment of zero changes nothing"
            }
        case .insufficientFunds(let balance, let limit, let charge):
            "insufficient funds: a charge of \(charge.plainText) on a balance of \(balance.plainText) would go below the credit limit of \(limit.plainText)"
        case .referenceConflict(let reference): "the id '\(reference)' was already used for a different request"
        case .invalidReference(let length):
            "an id must have 1 to \(LedgerPosting.maxReferenceLength) bytes, not \(length)"
        case .descriptionTooLong(let length):
            "a description may have at most \(LedgerPosting.maxDescriptionLength) bytes, not \(length)"
        case .unknownAccount(let id): "no account \(id)"
        case .closedAccount(let id): "account \(id) is closed"
        case .currencyChanged(let pricedIn, let account):
            "the charge was priced in \(pricedIn.rawValue), but the account's currency is now \(account.rawValue); send it again"
        case .negativeCreditLimit(let limit): "a credit limit is zero or more, not \(limit.plainText)"
        case .overflow: "the amount is out of range"
        }
    }
}
