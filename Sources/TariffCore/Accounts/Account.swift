/// A customer: who calls the APIs, and in which currency it sees every price.
public struct Account: Sendable, Hashable {
    public let id: Int64
    public let name: String
    /// Every price the account sees is converted into this currency.
    public let currency: CurrencyCode
    /// The deck (price list) the account is priced from; per-account plans build on this.
    public let deck: String
    public let createdAt: Instant
    /// The address Voximplant clients may name the account by (`account_email`); optional.
    public let email: String?
    /// When the operator closed it: its keys no longer authenticate and charges are refused,
    /// while its ledger stays readable and the operator may still pay out what is left.
    public let closedAt: Instant?

    public init(id: Int64, name: String, currency: CurrencyCode, deck: String, createdAt: Instant, email: String? = nil, closedAt: Instant? = nil) {
        self.id = id
        self.name = name
        self.currency = currency
        self.deck = deck
        self.createdAt = createdAt
        self.email = email
        self.closedAt = closedAt
    }

    public var isClosed: Bool { closedAt != nil }
}

/// An API key and the stored form of its secret (never the secret itself).
public struct APICredential: Sendable, Hashable {
    public let apiKey: String
    public let accountID: Int64
    /// Hex SHA-256 of salt + secret.
    public let secretHash: String
    public let salt: String
    public let createdAt: Instant

    public init(apiKey: String, accountID: Int64, secretHash: String, salt: String, createdAt: Instant) {
        self.apiKey = apiKey
        self.accountID = accountID
        self.secretHash = secretHash
        self.salt = salt
        self.createdAt = createdAt
    }
}
