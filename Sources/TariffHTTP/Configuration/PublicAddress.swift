import Hummingbird

/// Where clients reach this server, for absolute URLs in answers (Vonage v2 `_links`,
/// Voximplant's `api_address`). A request's Host header is a client's word: it is used only
/// when the operator allowed it, so that nobody can make the server hand out links to a host
/// of their choosing.
public struct PublicAddress: Sendable, Equatable {
    /// `scheme://host[:port][/path]`, without a trailing slash, and its `host[:port]`.
    private(set) var configuredBase: String?
    private(set) var configuredAuthority: String?
    let scheme: String
    /// Hosts a client may name, lowercased `host:port` (the port always written).
    private(set) var allowedHosts: Set<String>
    /// The listening address, when neither a public URL nor an allowed Host says otherwise.
    let fallbackAuthority: String

    /// - Parameters:
    ///   - publicURL: the base URL clients use (`--public-url`); when given, it is always used.
    ///   - allowedHosts: Host header values to reflect (`--allowed-host`); the loopback names
    ///     with the listening port are always allowed.
    public init(publicURL: String?, allowedHosts: [String], tls: Bool, host: String, port: Int) throws(ConfigurationError) {
        self.init(tls: tls, host: host, port: port)
        if let publicURL {
            let base = try Self.validated(publicURL)
            configuredBase = base
            configuredAuthority = base.split(separator: "://", maxSplits: 1)[1].split(separator: "/", maxSplits: 1).first.map(String.init)
        }
        for name in allowedHosts {
            guard Self.isHostName(name) else { throw .invalid("--allowed-host '\(name)': expected a host name or host:port") }
            self.allowedHosts.insert(Self.normalized(name, defaultPort: tls ? 443 : 80))
        }
    }

    /// The listening address, and the loopback names with its port.
    public init(tls: Bool, host: String, port: Int) {
        scheme = tls ? "https" : "http"
        configuredBase = nil
        configuredAuthority = nil
        allowedHosts = Set(["localhost", "127.0.0.1", "[::1]", host].map { Self.normalized($0, defaultPort: port) })
        fallbackAuthority = (host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host) + ":\(port)"
    }

    /// The base for links in the answer to `request`: the public URL, else the request's Host
    /// if allowed, else the listening address.
    func base(for request: Request) -> String {
        configuredBase ?? "\(scheme)://\(authority(for: request))"
    }

    /// The host (and port) part of `base(for:)`.
    func authority(for request: Request) -> String {
        if let configuredAuthority { return configuredAuthority }
        if let host = request.head.authority, Self.isHostName(host),
            allowedHosts.contains(Self.normalized(host, defaultPort: scheme == "https" ? 443 : 80))
        {
            return host
        }
        return fallbackAuthority
    }

    static func validated(_ url: String) throws(ConfigurationError) -> String {
        var text = url
        while text.hasSuffix("/") { text.removeLast() }
        let parts = text.split(separator: "://", maxSplits: 1).map(String.init)
        guard parts.count == 2, ["http", "https"].contains(parts[0].lowercased()),
            let authority = parts[1].split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init),
            isHostName(authority), !text.contains("?"), !text.contains("#")
        else { throw .invalid("--public-url '\(url)': expected http(s)://host[:port][/path], e.g. https://pricing.example.com") }
        return text
    }

    /// Letters, digits, `-`, `.`, `_`, an optional `:port`, or a bracketed IPv6 address: what
    /// a Host header may hold, and nothing a link could be bent with (`@`, `/`, spaces, quotes).
    static func isHostName(_ text: String) -> Bool {
        guard !text.isEmpty, text.utf8.count <= 255 else { return false }
        var host = Substring(text)
        var port: Substring?
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return false }
            let inside = host[host.index(after: host.startIndex)..<close]
            guard !inside.isEmpty, inside.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else { return false }
            let rest = host[host.index(after: close)...]
            if !rest.isEmpty {
                guard rest.first == ":" else { return false }
                port = rest.dropFirst()
            }
            host = ""
        } else if let colon = host.lastIndex(of: ":") {
            port = host[host.index(after: colon)...]
            host = host[..<colon]
            guard !host.isEmpty else { return false }
        }
        if let port {
            guard !port.isEmpty, port.count <= 5, port.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(port), value <= 65535 else {
                return false
            }
        }
        return host.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "." || $0 == "_") }
    }

    /// `Host:Port` lowercased, with the default port written out.
    static func normalized(_ text: String, defaultPort: Int) -> String {
        let lower = text.lowercased()
        if lower.hasPrefix("[") {
            return lower.hasSuffix("]") ? "\(lower):\(defaultPort)" : lower
        }
        if lower.contains(":") {
            // A bare IPv6 address from the configuration.
            return lower.split(separator: ":").count > 2 ? "[\(lower)]:\(defaultPort)" : lower
        }
        return "\(lower):\(defaultPort)"
    }
}
