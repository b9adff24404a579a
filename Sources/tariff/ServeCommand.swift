import ArgumentParser
import Foundation
import Hummingbird
import Logging
import TariffCore
import TariffHTTP
import TariffStore

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the pricing APIs from the prices in memory.",
        discussion: """
            Dialects: Vonage Pricing v1 (JSON and XML, /account/...) and v2 (/v2/account/pricing/...), \
            the Voximplant platform API (/platform_api), and Tariff's native API (/v1/prices/...). \
            GET /health says which deck version is served.

            SIGTERM or SIGINT: requests in flight finish, then the server stops. SIGHUP: look for \
            new prices, exchange rates and keys at once (they are also picked up every second).
            """
    )

    @Option(help: "Address to listen on (TARIFF_HOST; default 127.0.0.1).")
    var host: String?

    @Option(help: "Port (TARIFF_PORT; default 8080).")
    var port: Int?

    @Option(help: "TLS certificate chain, PEM (TARIFF_TLS_CERT). With --tls-key, serves HTTPS.")
    var tlsCert: String?

    @Option(help: "TLS private key, PEM (TARIFF_TLS_KEY).")
    var tlsKey: String?

    @Option(help: "Rate limit per API key: off, or GROUP=N/s (pricing, balance); repeatable (TARIFF_RATE_LIMIT). Default pricing=1/s.")
    var rateLimit: [String] = []

    @Option(help: "The URL clients reach this server at, for links in answers, e.g. https://pricing.example.com (TARIFF_PUBLIC_URL).")
    var publicURL: String?

    @Option(
        help:
            "A Host header value that may be reflected into links when --public-url is not set; repeatable (TARIFF_ALLOWED_HOSTS, comma-separated). Loopback names are always allowed."
    )
    var allowedHost: [String] = []

    @Option(help: "Seconds a connection may stay open with no request under way (TARIFF_IDLE_TIMEOUT; default 60).")
    var idleTimeout: Int?

    @Option(help: "Seconds a request head may take to arrive once begun (TARIFF_HEADER_TIMEOUT; default 10).")
    var headerTimeout: Int?

    @Option(help: "Open connections at most; more wait to be accepted (TARIFF_MAX_CONNECTIONS; default: the descriptor limit less 64).")
    var maxConnections: Int?

    @Option(
        help:
            "on: country and phone pricing are answered straight after the HTTP decoder when all they need is in memory; off: every request goes through the router (TARIFF_FAST_PATH; default on). Answers are the same either way."
    )
    var fastPath: String?

    @Option(help: "GET /metrics (Prometheus): on (the API's port), off, or PORT / HOST:PORT for a listener of its own (TARIFF_METRICS; default on).")
    var metrics: String?

    @Option(
        help:
            "Prices the web explorer shows without an account key: off, deck, or plan:NAME (TARIFF_PUBLIC_PRICES; default off)."
    )
    var publicPrices: String?

    @Option(help: "The currency public prices are shown in unless the visitor picks another (TARIFF_PUBLIC_CURRENCY; default EUR).")
    var publicCurrency: String?

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let configuration = try serverConfiguration(environment: ProcessInfo.processInfo.environment)
        var logger = global.logger
        if global.logLevel == .warning, ProcessInfo.processInfo.environment["TARIFF_LOG_LEVEL"] == nil { logger.logLevel = .info }
        let location = try global.location()
        let store = try await global.openStore(at: location)
        do {
            let app = try await buildApplication(configuration: configuration, store: store, logger: logger)
            logger.info(
                "serving",
                metadata: [
                    "address": "\(configuration.tlsCertificatePath == nil ? "http" : "https")://\(configuration.host):\(configuration.port)",
                    "database": "\(location)",
                ]
            )
            // SIGTERM and SIGINT end the server gracefully: requests in flight finish first.
            try await app.runService()
            try await store.close()
        } catch {
            try? await store.close()
            if let error = error as? ConfigurationError {
                printError("tariff: \(error)")
                throw ExitCode(2)
            }
            if let message = Self.listenFailure(error, host: configuration.host, port: configuration.port) {
                printError("tariff: \(message)")
                throw ExitCode(1)
            }
            throw error
        }
    }

    /// One line for the errors an operator meets when the address cannot be listened on.
    static func listenFailure(_ error: any Error, host: String, port: Int) -> String? {
        // NIO's IOError says it in its text ("bind(...): Address already in use (errno: 98)").
        let text = "\(error)"
        let address = "\(host):\(port)"
        if text.contains("Address already in use") {
            return "cannot listen on \(address): port \(port) is in use (another tariff serve?); stop it or choose another with --port"
        }
        if text.contains("Permission denied") {
            return "cannot listen on \(address): permission denied (ports below 1024 need root or CAP_NET_BIND_SERVICE); choose another with --port"
        }
        if text.contains("Cannot assign requested address") {
            return "cannot listen on \(address): \(host) is not an address of this machine; check --host"
        }
        return nil
    }

    /// Flags first, then TARIFF_* variables, then defaults; validated here, once.
    func serverConfiguration(environment: [String: String]) throws -> ServerConfiguration {
        var configuration = ServerConfiguration()
        configuration.host = host ?? environment["TARIFF_HOST"] ?? configuration.host
        if port == nil, let text = environment["TARIFF_PORT"], !text.isEmpty, Int(text) == nil {
            throw ValidationError("TARIFF_PORT '\(text)' is not a TCP port")
        }
        if let port = port ?? environment["TARIFF_PORT"].flatMap({ Int($0) }) {
            guard (0...65535).contains(port) else { throw ValidationError("--port \(port) is not a TCP port") }
            configuration.port = port
        }
        configuration.tlsCertificatePath = tlsCert ?? environment["TARIFF_TLS_CERT"]
        configuration.tlsKeyPath = tlsKey ?? environment["TARIFF_TLS_KEY"]
        guard (configuration.tlsCertificatePath == nil) == (configuration.tlsKeyPath == nil) else {
            throw ValidationError("give both --tls-cert and --tls-key, or neither")
        }
        let limits = rateLimit.isEmpty ? (environment["TARIFF_RATE_LIMIT"].map { [$0] } ?? []) : rateLimit
        do { configuration.rateLimits = try RateLimits(parsing: limits) } catch { throw ValidationError(error.description) }

        let hosts =
            allowedHost.isEmpty
            ? (environment["TARIFF_ALLOWED_HOSTS"].map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } ?? [])
            : allowedHost
        do {
            configuration.address = try PublicAddress(
                publicURL: publicURL ?? environment["TARIFF_PUBLIC_URL"].flatMap { $0.isEmpty ? nil : $0 },
                allowedHosts: hosts,
                tls: configuration.tlsCertificatePath != nil,
                host: configuration.host,
                port: configuration.port
            )
        } catch { throw ValidationError(error.description) }

        configuration.connections.idleTimeout = .seconds(
            try Self.bounded(
                idleTimeout,
                environment["TARIFF_IDLE_TIMEOUT"],
                name: "--idle-timeout",
                range: 1...86_400,
                default: 60
            )
        )
        configuration.connections.headTimeout = .seconds(
            try Self.bounded(
                headerTimeout,
                environment["TARIFF_HEADER_TIMEOUT"],
                name: "--header-timeout",
                range: 1...3_600,
                default: 10
            )
        )
        if maxConnections != nil || environment["TARIFF_MAX_CONNECTIONS"] != nil {
            configuration.connections.maxConnections = try Self.bounded(
                maxConnections,
                environment["TARIFF_MAX_CONNECTIONS"],
                name: "--max-connections",
                range: 1...1_000_000,
                default: 0
            )
        }
        switch fastPath ?? environment["TARIFF_FAST_PATH"] ?? "on" {
        case "on": configuration.fastPath = true
        case "off": configuration.fastPath = false
        case let other: throw ValidationError("--fast-path '\(other)': expected on or off")
        }
        do {
            configuration.metrics = try MetricsExposure(parsing: metrics ?? environment["TARIFF_METRICS"] ?? "on", defaultHost: configuration.host)
        } catch { throw ValidationError(error.description) }
        do {
            configuration.publicPrices = try PublicPrices.parsing(
                publicPrices ?? environment["TARIFF_PUBLIC_PRICES"] ?? "off",
                currency: publicCurrency ?? environment["TARIFF_PUBLIC_CURRENCY"] ?? "EUR"
            )
        } catch { throw ValidationError(error.description) }
        return configuration
    }

    /// The flag's value, else the variable's, else the default; within `range`.
    static func bounded(_ flag: Int?, _ variable: String?, name: String, range: ClosedRange<Int>, default fallback: Int) throws -> Int {
        let value: Int
        if let flag {
            value = flag
        } else if let variable, !variable.isEmpty {
            guard let parsed = Int(variable) else { throw ValidationError("\(name): '\(variable)' is not a whole number") }
            value = parsed
        } else {
            return fallback
        }
        guard range.contains(value) else { throw ValidationError("\(name) \(value): expected \(range.lowerBound) to \(range.upperBound)") }
        return value
    }
}
