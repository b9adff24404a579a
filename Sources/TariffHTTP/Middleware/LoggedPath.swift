/// A request path as it may be written to a log. Old Vonage clients put the API key and
/// secret in the path (`/account/get-pricing/outbound/{key}/{secret}/{country}`), the
/// operator's key routes name an API key (`/v1/admin/accounts/{id}/keys/{api_key}`), and a
/// path no route matched may be anything a client typed: those parts become `***`.
enum LoggedPath {
    static let mask = "***"
    static let products: Set<String> = ["sms", "voice", "sms-transit"]
    /// The first segments of Tariff's routes: kept even when the rest of a path matched nothing.
    static let knownRoots: Set<String> = ["account", "v1", "v2", "platform_api", "health"]

    /// - Parameter matched: whether a route answered the path (else only a known first segment is kept).
    static func redacted(_ path: String, matched: Bool) -> String {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
        guard let first = segments.first else { return path }
        if first == "account" { return "/" + accountForm(segments, matched: matched).joined(separator: "/") }
        guard matched else {
            let head = knownRoots.contains(first) ? first : mask
            return "/" + ([head] + segments.dropFirst().map { _ in mask }).joined(separator: "/")
        }
        // The operator's key routes name an API key, half of an account's credential.
        if segments.count >= 6, segments[0] == "v1", segments[1] == "admin", segments[2] == "accounts", segments[4] == "keys" {
            var masked = segments
            masked[5] = mask
            return "/" + masked.joined(separator: "/")
        }
        return path
    }

    /// Vonage v1: `account/{operation}/outbound/...` keeps the product and the country, prefix
    /// or number at the end of the known forms; everything else after the operation is masked.
    private static func accountForm(_ segments: [String], matched: Bool) -> [String] {
        guard segments.count > 2 else { return segments }
        var kept = Array(segments.prefix(2))
        var rest = Array(segments.dropFirst(2))
        guard rest.first == "outbound" else { return kept + rest.map { _ in mask } }
        kept.append("outbound")
        rest.removeFirst()
        // A product where the key should be is the typed form with a segment missing (the
        // router reads it as the legacy form): its last segment is then the secret.
        let typed = products.contains(rest.first ?? "")
        switch (rest.count, matched) {
        case (0, _), (1, _): return kept + rest
        case (3, true) where !typed: return kept + [mask, mask, rest[2]]
        case (4, true) where typed: return kept + [rest[0], mask, mask, rest[3]]
        default: return kept + (typed ? [rest[0]] + rest.dropFirst().map { _ in mask } : rest.map { _ in mask })
        }
    }
}
