/// A Voximplant service-account key: the public half of an RSA key pair whose private half
/// only the account holds, in the credentials file it was given. Tokens it signs name the key
/// by `keyID` (the JWT `kid`).
public struct ServiceKey: Sendable, Hashable {
    public let keyID: String
    public let accountID: Int64
    /// SubjectPublicKeyInfo PEM ("-----BEGIN PUBLIC KEY-----").
    public let publicKeyPEM: String
    public let createdAt: Instant
    /// When the key stopped being accepted; revoked keys are kept so that listings show them.
    public let revokedAt: Instant?

    public init(keyID: String, accountID: Int64, publicKeyPEM: String, createdAt: Instant, revokedAt: Instant? = nil) {
        self.keyID = keyID
        self.accountID = accountID
        self.publicKeyPEM = publicKeyPEM
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }

    public var isRevoked: Bool { revokedAt != nil }
}
