import TariffCore

/// Everything `tariff serve` is told, read once at start and validated.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// PEM files; HTTPS is served when both are given.
    public var tlsCertificatePath: String?
    public var tlsKeyPath: String?
    public var rateLimits: RateLimits
    /// How often the server looks for a new deck version, exchange rates and accounts.
    public var reloadInterval: Duration
    /// Where clients reach the server (`--public-url`, `--allowed-host`); nil: the listening
    /// address, and the Host header only when it names loopback.
    public var address: PublicAddress?
    public var connections: ConnectionLimits
    /// Whether country and phone pricing may be answered straight after the decoder
    /// (`--fast-path`); off, every request goes through the router.
    public var fastPath: Bool

    public init(host: String = "127.0.0.1", port: Int = 8080, tlsCertificatePath: String? = nil, tlsKeyPath: String? = nil,
                rateLimits: RateLimits = .vonageDefault, reloadInterval: Duration = .seconds(1), address: PublicAddress? = nil,
                connections: ConnectionLimits = ConnectionLimits(), fastPath: Bool = true) {
        self.host = host
        self.port = port
        self.tlsCertificatePath = tlsCertificatePath
        self.tlsKeyPath = tlsKeyPath
        self.rateLimits = rateLimits
        self.reloadInterval = reloadInterval
        self.address = address
        self.connections = connections
        self.fastPath = fastPath
    }

    var publicAddress: PublicAddress {
        address ?? PublicAddress(tls: tlsCertificatePath != nil, host: host, port: port)
    }
}

/// What keeps idle, slow or too many clients from taking the server's connections.
public struct ConnectionLimits: Sendable, Equatable {
    /// A connection with no request under way is closed after this long without a new request head.
    public var idleTimeout: Duration
    /// Once the first byte of a request arrives, its whole head must arrive within this.
    public var headTimeout: Duration
    /// Open connections at most; further clients wait in the listen backlog. Nil: derived from
    /// the process's file-descriptor limit at start.
    public var maxConnections: Int?

    public init(idleTimeout: Duration = .seconds(60), headTimeout: Duration = .seconds(10), maxConnections: Int? = nil) {
        self.idleTimeout = idleTimeout
        self.headTimeout = headTimeout
        self.maxConnections = maxConnections
    }
}

/// Requests allowed per API key and route group (`pricing=1/s`), or none at all (`off`).
public struct RateLimits: Sendable, Hashable {
    public enum Group: String, Sendable, CaseIterable {
        /// Vonage's pricing routes, v1 and v2 (Vonage documents 1 request per second).
        case pricing
        /// The account balance.
        case balance
    }

    public struct Limit: Sendable, Hashable {
        public let requests: Int
        public let per: Duration
    }

    public var limits: [Group: Limit]

    public static let vonageDefault = RateLimits(limits: [.pricing: Limit(requests: 1, per: .seconds(1))])
    public static let off = RateLimits(limits: [:])

    public init(limits: [Group: Limit]) { self.limits = limits }

    /// Reads `off`, or `group=N/s` (also `/m`, `/h`) items separated by commas; later items
    /// (and later flags) override earlier ones for the same group.
    public init(parsing specs: [String]) throws(ConfigurationError) {
        var limits = RateLimits.vonageDefault.limits
        for spec in specs.flatMap({ $0.split(separator: ",").map(String.init) }) {
            let text = spec.trimmingCharacters(in: " ")
            if text == "off" {
                limits = [:]
                continue
            }
            let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let group = Group(rawValue: parts[0]) else {
                throw .invalid("--rate-limit '\(text)': expected off or GROUP=N/s with GROUP one of \(Group.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if parts[1] == "off" {
                limits[group] = nil
                continue
            }
            let rate = parts[1].split(separator: "/").map(String.init)
            let units: [String: Duration] = ["s": .seconds(1), "m": .seconds(60), "h": .seconds(3600)]
            guard rate.count == 2, let count = Int(rate[0]), count > 0, let unit = units[rate[1]] else {
                throw .invalid("--rate-limit '\(text)': the rate is N/s, N/m or N/h (e.g. pricing=1/s)")
            }
            limits[group] = Limit(requests: count, per: unit)
        }
        self.limits = limits
    }
}

public enum ConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalid(String)
    public var description: String {
        switch self { case .invalid(let message): message }
    }
}

extension String {
    func trimmingCharacters(in character: Character) -> String {
        var text = Substring(self)
        while text.first == character { text.removeFirst() }
        while text.last == character { text.removeLast() }
        return String(text)
    }
}
