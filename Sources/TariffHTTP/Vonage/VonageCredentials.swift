import Hummingbird

/// Where a Vonage request carries its key and secret: the path (legacy), the query
/// (`api_key`, `api_secret`), or a Basic header; v2 takes only the header.
struct VonageCredentials: Sendable, Equatable {
    let apiKey: String
    let secret: String

    static func from(_ request: Request, pathKey: String? = nil, pathSecret: String? = nil, basicOnly: Bool = false) -> VonageCredentials? {
        if !basicOnly, let pathKey, let pathSecret { return VonageCredentials(apiKey: pathKey, secret: pathSecret) }
        if basicOnly { return request.headers[.authorization].flatMap(basic(header:)) }
        return from(authorization: request.headers[.authorization], query: request.uri.queryParameters)
    }

    /// A Basic header first, then `api_key`/`api_secret` in the query (the router and the fast path read them alike).
    static func from(authorization: String?, query: Parameters) -> VonageCredentials? {
        if let basic = authorization.flatMap(basic(header:)) { return basic }
        if let key = query.get("api_key"), let secret = query.get("api_secret") {
            return VonageCredentials(apiKey: key, secret: secret)
        }
        return nil
    }

    /// A Basic header's user and password, as an API key and secret.
    static func basic(header: String) -> VonageCredentials? {
        BasicCredentials(header: header).map { VonageCredentials(apiKey: $0.user, secret: $0.password) }
    }
}
