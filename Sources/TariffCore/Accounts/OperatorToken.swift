/// An operator's credential for the admin routes: not an account's key, and able to move any
/// account's money. Only a salted hash of its secret is stored; the whole token
/// (`tariff_op_<id>_<secret>`) is shown once, when it is made.
public struct OperatorToken: Sendable, Hashable {
    /// Public: names the token in listings and logs, and finds its row.
    public let id: String
    /// Who or what holds it ("billing-system", "alice").
    public let name: String
    public let createdAt: Instant
    public let revokedAt: Instant?

    public init(id: String, name: String, createdAt: Instant, revokedAt: Instant? = nil) {
        self.id = id
        self.name = name
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }

    public var isRevoked: Bool { revokedAt != nil }

    /// The token as the operator sends it: a recognisable prefix (so that a secret scanner can
    /// find a leaked one), the id, the secret.
    public static func text(id: String, secret: String) -> String { "tariff_op_\(id)_\(secret)" }

    /// The id and secret of a token's text; nil when it is not one.
    public static func parse(_ text: some StringProtocol) -> (id: String, secret: String)? {
        guard text.hasPrefix("tariff_op_") else { return nil }
        let parts = text.dropFirst("tariff_op_".count).split(separator: "_", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, parts[0].count <= 64, parts[1].count <= 256 else { return nil }
        return (String(parts[0]), String(parts[1]))
    }
}
