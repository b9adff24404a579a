import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

@testable import TariffHTTP

/// Collects every log line with its metadata as text.
final class CapturedLogs: Sendable {
    let lines = Mutex<[String]>([])
}

struct CapturingLogHandler: LogHandler {
    let captured: CapturedLogs
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(
        level: Logger.Level,
        message: Logger.Message,
        metadata extra: Logger.Metadata?,
        source: String,
        file: String,
        function: String,
        line: UInt
    ) {
        let all = metadata.merging(extra ?? [:]) { _, new in new }
        captured.lines.withLock { $0.append("\(message) \(all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))") }
    }
}

@Suite("Request logs")
struct RequestLogTests {
    @Test("one line per request with method, path and status; the query (and its api_secret) is never logged")
    func noSecretsInLogs() async throws {
        try await HTTPFixture.with { fixture in
            let captured = CapturedLogs()
            let logger = Logger(label: "capture") { _ in CapturingLogHandler(captured: captured) }
            let state = try await LiveState(store: fixture.store, logger: logger)
            let router = try buildRouter(configuration: ServerConfiguration(rateLimits: .off), state: state)
            try await Application(router: router, logger: logger).test(.router) { client in
                _ = try await client.execute(uri: "/account/get-pricing/outbound/sms?country=ES&api_key=k-eur&api_secret=s-eur", method: .get)
                _ = try await client.execute(uri: "/account/get-pricing/outbound/sms?country=ES&api_key=k-eur&api_secret=wrong-secret", method: .get)
            }
            let lines = captured.lines.withLock { $0 }
            let requests = lines.filter { $0.hasPrefix("request ") }
            #expect(requests.count == 2)
            #expect(requests.contains { $0.contains("path=/account/get-pricing/outbound/sms") && $0.contains("status=200") })
            #expect(requests.contains { $0.contains("status=401") })
            #expect(!lines.contains { $0.contains("s-eur") || $0.contains("wrong-secret") }, "a secret was logged: \(lines)")
        }
    }
}
