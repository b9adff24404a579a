import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import TariffCore
import TariffHTTP
import TariffStore
import Testing

/// A fresh database with a small deck of known prices, an EUR and a USD account, and the
/// application built on it as `tariff serve` builds it; requests go through the router in process.
struct HTTPFixture {
    static let deck = """
        product,country,network,prefix,number_type,origin,price,currency,increment,effective_from,description
        sms-outbound,ES,,,,any,0.06,EUR,,2026-01-01,Spain
        sms-outbound,ES,21407,,mobile,any,0.065,EUR,,2026-01-01,Spain Movistar
        sms-outbound,ES,ES-FIXED,,landline,any,0.05,EUR,,2026-01-01,Spain Landline
        sms-outbound,LU,,,,any,0.011,EUR,,2026-01-01,Luxembourg
        voice-outbound,ES,,,,international,0.02,EUR,60/60,2026-01-01,Spain Fixed
        voice-outbound,ES,21407,,mobile,international,0.04,EUR,1/1,2026-01-01,Spain Mobile

        """
    static let rates = """
        <gesmes:Envelope><Cube><Cube time="2026-01-01"><Cube currency="USD" rate="1.17"/></Cube></Cube></gesmes:Envelope>
        """
    /// Warnings and worse, unless TARIFF_TEST_LOG_LEVEL asks for more: a test run is not a log.
    static let logger: Logger = {
        var logger = Logger(label: "tariff.http.tests")
        logger.logLevel = ProcessInfo.processInfo.environment["TARIFF_TEST_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        return logger
    }()

    let directory: URL
    let store: any TariffStore

    static func with(_ body: (HTTPFixture) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tariff-http-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try await StoreLocation(option: directory.appendingPathComponent("t.sqlite").path, environment: [:]).open(logger: logger)
        do {
            let fixture = HTTPFixture(directory: directory, store: store)
            try await fixture.load()
            try await body(fixture)
            try await store.close()
        } catch {
            try? await store.close()
            throw error
        }
    }

    func write(_ name: String, _ text: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    func load() async throws {
        let reference = try await store.reference.tables().compile()
        let now = Instant.now()
        _ = try await DeckImporter(store: store, reference: reference, logger: Self.logger)
            .importFile(path: try write("deck.csv", Self.deck), options: DeckOptions(now: now))
        _ = try await ExchangeRateImporter(store: store, reference: reference).importFile(path: try write("fx.xml", Self.rates), now: now)
        _ = try await store.accounts.create(
            name: "eur",
            currency: .EUR,
            deck: "base",
            credential: Credentials.make(apiKey: "k-eur", secret: "s-eur").credential,
            now: now
        )
        _ = try await store.accounts.create(
            name: "usd",
            currency: .USD,
            deck: "base",
            credential: Credentials.make(apiKey: "k-usd", secret: "s-usd").credential,
            now: now
        )
    }

    /// The application as `tariff serve` builds it, listening on a free loopback port, without
    /// rate limits unless `configuration` sets them.
    func liveApplication(
        _ configuration: ServerConfiguration = ServerConfiguration(rateLimits: .off),
        logger: Logger = HTTPFixture.logger,
        onListening: (@Sendable (Int) async -> Void)? = nil
    ) async throws -> some ApplicationProtocol {
        var configuration = configuration
        configuration.host = "127.0.0.1"
        configuration.port = 0
        return try await buildApplication(configuration: configuration, store: store, logger: logger, onListening: onListening)
    }

    /// Runs `test` against the application's router, at the clock's time.
    func test(
        rateLimits: RateLimits = .off,
        clock: TestClock? = nil,
        publicPrices: PublicPrices? = nil,
        _ test: @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let now: @Sendable () -> Instant
        if let clock { now = { clock.now } } else { now = { .now() } }
        let state = try await LiveState(store: store, logger: Self.logger, clock: now)
        let router = try buildRouter(configuration: ServerConfiguration(rateLimits: rateLimits, publicPrices: publicPrices), state: state)
        try await Application(router: router, logger: Self.logger).test(.router, test)
    }
}

/// A clock that moves only when a test moves it.
final class TestClock: Sendable {
    private let instant: Mutex<Instant>

    init(_ start: Instant) { instant = Mutex(start) }

    var now: Instant { instant.withLock { $0 } }

    func set(_ value: Instant) { instant.withLock { $0 = value } }
}

extension TestResponse {
    var text: String { String(buffer: body) }

    func json() throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not a JSON object: \(text)")
    }
}

func basic(_ key: String, _ secret: String) -> HTTPFields {
    [.authorization: "Basic " + Data("\(key):\(secret)".utf8).base64EncodedString()]
}
