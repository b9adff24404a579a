/// One entry of an account's ledger, as stored: never updated, never deleted. A correction is
/// another entry (`refund`, `adjustment`).
public struct LedgerTransaction: Sendable, Hashable {
    public let id: Int64
    public let accountID: Int64
    public let type: TransactionType
    /// In the account's currency: negative spends the account's money, positive adds to it.
    public let amount: Amount
    public let currency: CurrencyCode
    /// When what it records happened (a call's `occurred_at`, a top-up's time).
    public let performedAt: Instant
    /// When the ledger recorded it.
    public let recordedAt: Instant
    public let description: String
    /// The client's idempotency key, unique per account; nil for postings without one.
    public let reference: String?
    /// The account's balance once this entry was applied: entries in id order add up to it.
    public let balanceAfter: LedgerTotal
    /// How a charge was computed; nil for entries that are not rated usage.
    public let explanation: ChargeExplanation?

    public init(
        id: Int64,
        accountID: Int64,
        type: TransactionType,
        amount: Amount,
        currency: CurrencyCode,
        performedAt: Instant,
        recordedAt: Instant,
        description: String,
        reference: String?,
        balanceAfter: LedgerTotal,
        explanation: ChargeExplanation? = nil
    ) {
        self.id = id
        self.accountID = accountID
        self.type = type
        self.amount = amount
        self.currency = currency
        self.performedAt = performedAt
        self.recordedAt = recordedAt
        self.description = description
        self.reference = reference
        self.balanceAfter = balanceAfter
        self.explanation = explanation
    }
}

/// What a client asks the ledger to record.
public struct LedgerPosting: Sendable, Hashable {
    public var accountID: Int64
    public var type: TransactionType
    /// In the account's currency, signed as `LedgerTransaction.amount`.
    public var amount: Amount
    public var performedAt: Instant
    public var description: String
    /// An idempotency key: a posting whose key the account's ledger already holds is not
    /// recorded again.
    public var reference: String?
    /// What the client sent, condensed: the same key with another fingerprint is a conflict,
    /// not a retry.
    public var fingerprint: String?
    /// How a charge was computed, recorded with it.
    public var explanation: ChargeExplanation?
    /// A metered use that a package's included units may cover: the ledger draws on them in
    /// the transaction that records the charge, and charges what they do not cover.
    public var draw: AllowanceDraw?
    /// The currency the amount was priced in, when it was priced from the account's currency:
    /// the ledger refuses the posting if the account's currency changed in the meantime.
    public var pricedIn: CurrencyCode?
    /// What a usage charge costs the operator (the deck's price under a price plan), in the
    /// account's currency and positive; kept for the margin report, never shown to the account.
    public var cost: Amount?
    /// What a usage charge was for: its product and the country of the number.
    public var product: String?
    public var country: String?

    public init(
        accountID: Int64,
        type: TransactionType,
        amount: Amount,
        performedAt: Instant,
        description: String,
        reference: String? = nil,
        fingerprint: String? = nil,
        explanation: ChargeExplanation? = nil
    ) {
        self.accountID = accountID
        self.type = type
        self.amount = amount
        self.performedAt = performedAt
        self.description = description
        self.reference = reference
        self.fingerprint = fingerprint
        self.explanation = explanation
    }

    /// The longest idempotency key and description accepted: enough for any UUID, CDR id or
    /// sentence, and short enough that a hostile client cannot bloat the ledger through them.
    public static let maxReferenceLength = 200
    public static let maxDescriptionLength = 1000

    /// Checks what can be checked without the ledger: the sign suits the type (charges spend,
    /// payments and refunds add, an adjustment moves money one way or the other) and the texts
    /// are of a sane length.
    public func validate() throws(LedgerError) {
        let signIsRight =
            switch type {
            case .resourceCharge, .subscriptionInstallationCharge, .subscriptionCharge: amount.units <= 0
            case .cardPayment, .refund: amount.units > 0
            case .adjustment: amount.units != 0
            }
        guard signIsRight else { throw .wrongSign(type, amount) }
        if let reference, reference.isEmpty || reference.utf8.count > Self.maxReferenceLength {
            throw .invalidReference(reference.utf8.count)
        }
        guard description.utf8.count <= Self.maxDescriptionLength else { throw .descriptionTooLong(description.utf8.count) }
    }

    /// The balance after this posting, if the ledger admits it: a charge may not take the
    /// balance below minus the credit limit; anything else is always admitted.
    public func balance(after balance: LedgerTotal, creditLimit: Amount) throws(LedgerError) -> LedgerTotal {
        guard let after = balance.adding(amount) else { throw .overflow }
        if type.isCharge, amount.units < 0, after.units < -Int128(creditLimit.units) {
            throw .insufficientFunds(balance: balance, creditLimit: creditLimit, charge: amount)
        }
        return after
    }
}

/// What became of one posting.
public enum PostingOutcome: Sendable, Hashable {
    /// Recorded now.
    case posted(LedgerTransaction)
    /// Recorded before under the same key, with the same fingerprint: the first answer, and
    /// nothing charged again.
    case repeated(LedgerTransaction)
    /// Not recorded, and nothing changed.
    case refused(LedgerError)

    /// The entry the posting stands for, recorded now or before.
    public var transaction: LedgerTransaction? {
        switch self {
        case .posted(let transaction), .repeated(let transaction): transaction
        case .refused: nil
        }
    }
}

/// An account's money: its balance and how far below zero its charges may take it.
public struct AccountBalance: Sendable, Hashable {
    public let accountID: Int64
    public let currency: CurrencyCode
    public let balance: LedgerTotal
    /// 0 for a prepaid account; charges may take the balance down to minus this.
    public let creditLimit: Amount
    /// A closed account takes no more charges.
    public let isClosed: Bool

    public init(accountID: Int64, currency: CurrencyCode, balance: LedgerTotal, creditLimit: Amount, isClosed: Bool = false) {
        self.accountID = accountID
        self.currency = currency
        self.balance = balance
        self.creditLimit = creditLimit
        self.isClosed = isClosed
    }
}
