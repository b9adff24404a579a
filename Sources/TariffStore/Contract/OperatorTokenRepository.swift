public import TariffCore

/// Operators' credentials for the admin routes.
public protocol OperatorTokenRepository: Sendable {
    /// Stores a new token for `name` and returns it with its whole text, which is not kept
    /// (only a salted hash of its secret is).
    func create(name: String, now: Instant) async throws -> (token: OperatorToken, text: String)
    /// Every token, revoked ones included, oldest first.
    func tokens() async throws -> [OperatorToken]
    /// The token a request's text names, if the text is one, the secret matches (compared in
    /// constant time) and it is not revoked.
    func verify(_ text: String) async throws -> OperatorToken?
    /// Stops a token being accepted from `now` on; false if it is unknown or already revoked.
    func revoke(id: String, now: Instant) async throws -> Bool
}
