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
        abstract: "Serve the pricing APIs (Vonage Pricing v1 and v2) from the prices in memory."
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

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let configuration = try serverConfiguration(environment: ProcessInfo.processInfo.environment)
        var logger = global.logger
        if global.logLevel == .warning, ProcessInfo.processInfo.environment["TARIFF_LOG_LEVEL"] == nil { logger.logLevel = .info }
        let store = try await global.openStore()
        do {
            let app = try await buildApplication(configuration: configuration, store: store, logger: logger)
            logger.info("serving", metadata: [
                "address": "\(configuration.tlsCertificatePath == nil ? "http" : "https")://\(configuration.host):\(configuration.port)",
                "database": "\(StoreLocation(option: global.database).path)",
            ])
            // SIGTERM and SIGINT end the server gracefully: requests in flight finish first.
            try await app.runService()
            try await store.close()
        } catch {
            try? await store.close()
            throw error
        }
    }

    /// Flags first, then TARIFF_* variables, then defaults; validated here, once.
    func serverConfiguration(environment: [String: String]) throws -> ServerConfiguration {
        var configuration = ServerConfiguration()
        configuration.host = host ?? environment["TARIFF_HOST"] ?? configuration.host
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
        return configuration
    }
}
