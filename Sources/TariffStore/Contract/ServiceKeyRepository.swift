public import TariffCore

/// Voximplant service keys: the public halves of the key pairs accounts sign their JWTs with.
public protocol ServiceKeyRepository: Sendable {
    /// Stores the public half of a new service key; nil, and nothing stored, when the account
    /// does not exist.
    func add(keyID: String, accountID: Int64, publicKeyPEM: String, now: Instant) async throws -> ServiceKey?
    /// An account's service keys, revoked ones included, oldest first.
    func keys(accountID: Int64) async throws -> [ServiceKey]
    /// The key with exactly this id, revoked or not; nil when unknown.
    func key(keyID: String) async throws -> ServiceKey?
    /// Stops a key being accepted from `now` on; false if the key is unknown or already revoked
    /// (the first revocation time is kept).
    func revoke(keyID: String, now: Instant) async throws -> Bool
}
