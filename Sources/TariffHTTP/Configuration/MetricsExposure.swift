/// Where `GET /metrics` is answered (`--metrics`).
public enum MetricsExposure: Sendable, Equatable {
    /// On the API's own port, beside the routes.
    case onAPIPort
    /// On a listener of its own (e.g. an address only Prometheus reaches); not on the API's port.
    case separate(host: String, port: Int)
    /// Not collected, not served.
    case off

    /// `on`, `off`, `PORT` or `HOST:PORT`; a bare port listens on `defaultHost`.
    public init(parsing text: String, defaultHost: String) throws(ConfigurationError) {
        switch text {
        case "on": self = .onAPIPort
        case "off": self = .off
        default:
            var host = defaultHost
            var portText = Substring(text)
            if let colon = text.lastIndex(of: ":") {
                host = String(text[..<colon])
                if host.hasPrefix("["), host.hasSuffix("]"), host.count >= 2 { host = String(host.dropFirst().dropLast()) }
                portText = text[text.index(after: colon)...]
            }
            guard !host.isEmpty, portText.utf8.count <= 5, let port = Int(portText), (1...65535).contains(port) else {
                throw .invalid("--metrics '\(text)': expected on, off, a port (9464) or HOST:PORT (127.0.0.1:9464)")
            }
            self = .separate(host: host, port: port)
        }
    }
}
