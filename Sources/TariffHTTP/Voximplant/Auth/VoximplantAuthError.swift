/// Why a Voximplant request was not authenticated. Every case answers with Voximplant's error
/// code 100 ("Authorization failed"); the case says why, for logs and tests.
public enum VoximplantAuthError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Not three base64url parts, a header or claims that are not the expected JSON, a missing
    /// `kid`, or a claim of the wrong type.
    case malformedToken(String)
    /// The header's `alg` is not RS256 (`none`, HS256 and the rest are refused by name).
    case unsupportedAlgorithm(String)
    case unknownKey(String)
    case revokedKey(String)
    /// The signature is not the named key's: forged, altered, or signed by another key.
    case badSignature
    case missingClaim(String)
    /// `exp` is more than the allowed clock skew in the past.
    case expired
    /// `iat` is more than the allowed clock skew in the future.
    case notYetValid
    /// `exp` is more than an hour after `iat`.
    case lifetimeTooLong(seconds: Int64)
    /// `iss` is not the id of the account that owns the key.
    case wrongIssuer
    case unknownAccount
    /// Legacy authentication named no account (no id, name or e-mail).
    case noAccountGiven
    /// Legacy authentication named the account in several ways that point to different accounts.
    case accountsDisagree
    /// The API key matches none of the account's API keys.
    case badAPIKey

    public var description: String {
        switch self {
        case .malformedToken(let reason): "malformed token: \(reason)"
        case .unsupportedAlgorithm(let alg): "unsupported token algorithm '\(alg)': only RS256 is accepted"
        case .unknownKey(let kid): "unknown key id '\(kid)'"
        case .revokedKey(let kid): "key '\(kid)' has been revoked"
        case .badSignature: "the token's signature does not match its key"
        case .missingClaim(let claim): "the token has no '\(claim)' claim"
        case .expired: "the token has expired"
        case .notYetValid: "the token was issued in the future"
        case .lifetimeTooLong(let seconds): "the token is valid for \(seconds) s; at most 3600 s are allowed"
        case .wrongIssuer: "the token's issuer is not the account that owns its key"
        case .unknownAccount: "unknown account"
        case .noAccountGiven: "no account given: send account_id, account_name or account_email"
        case .accountsDisagree: "account_id, account_name and account_email name different accounts"
        case .badAPIKey: "wrong api_key for the account"
        }
    }
}
