/// A ledger transaction as Tariff's own interfaces show it (the native API and the command
/// line's JSON): every amount as exact text with 8 decimals, instants in ISO 8601.
public struct TransactionRecord: Encodable, Sendable, Hashable {
    public let id: Int64
    public let accountId: Int64
    public let type: String
    public let amount: String
    public let currency: String
    public let balanceAfter: String
    public let performedAt: String
    public let recordedAt: String
    public let description: String
    public let reference: String?
    public let explanation: ChargeExplanation?

    public init(_ transaction: LedgerTransaction) {
        id = transaction.id
        accountId = transaction.accountID
        type = transaction.type.rawValue
        amount = transaction.amount.formatted(decimals: Amount.scale)
        currency = transaction.currency.rawValue
        balanceAfter = transaction.balanceAfter.fixedText
        performedAt = transaction.performedAt.iso8601
        recordedAt = transaction.recordedAt.iso8601
        description = transaction.description
        reference = transaction.reference
        explanation = transaction.explanation
    }
}

/// An account's money as Tariff's own interfaces show it, amounts as text with 8 decimals.
public struct BalanceRecord: Encodable, Sendable, Hashable {
    public let accountId: Int64
    public let currency: String
    public let balance: String
    public let creditLimit: String
    /// What charges may still spend: balance + credit limit.
    public let available: String

    public init(_ balance: AccountBalance) {
        accountId = balance.accountID
        currency = balance.currency.rawValue
        self.balance = balance.balance.fixedText
        creditLimit = balance.creditLimit.formatted(decimals: Amount.scale)
        available = (balance.balance.adding(balance.creditLimit) ?? balance.balance).fixedText
    }
}
