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
    /// How often subscriptions due for renewal are looked for (a period is charged within
    /// this of its start).
    public var renewalInterval: Duration
    /// Where clients reach the server (`--public-url`, `--allowed-host`); nil: the listening
    /// address, and the Host header only when it names loopback.
    public var address: PublicAddress?
    public var connections: ConnectionLimits
    /// Whether country and phone pricing may be answered straight after the decoder
    /// (`--fast-path`); off, every request goes through the router.
    public var fastPath: Bool
    /// Where `GET /metrics` is answered, if anywhere.
    public var metrics: MetricsExposure
    /// What the price explorer shows a visitor without credentials; nil: nothing, it asks for a key.
    public var publicPrices: PublicPrices?

    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        tlsCertificatePath: String? = nil,
        tlsKeyPath: String? = nil,
        rateLimits: RateLimits = .vonageDefault,
        reloadInterval: Duration = .seconds(1),
        renewalInterval: Duration = .seconds(60),
        address: PublicAddress? = nil,
        connections: ConnectionLimits = ConnectionLimits(),
        fastPath: Bool = true,
        metrics: MetricsExposure = .onAPIPort,
        publicPrices: PublicPrices? = nil
    ) {
        self.host = host
        self.port = port
        self.tlsCertificatePath = tlsCertificatePath
        self.tlsKeyPath = tlsKeyPath
        self.rateLimits = rateLimits
        self.reloadInterval = reloadInterval
        self.renewalInterval = renewalInterval
        self.address = address
        self.connections = connections
        self.fastPath = fastPath
        self.metrics = metrics
        self.publicPrices = publicPrices
    }

    var publicAddress: PublicAddress {
        address ?? PublicAddress(tls: tlsCertificatePath != nil, host: host, port: port)
    }
}

/// A flag or setting that cannot be used, with a sentence saying why.
public enum ConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalid(String)
    public var description: String {
        switch self {
        case .invalid(let message): message
        }
    }
}
