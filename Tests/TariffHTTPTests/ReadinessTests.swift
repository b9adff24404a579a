import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import TariffCore
import TariffStore
import Testing

@testable import TariffHTTP

/// `GET /ready`: 200 only when the database answers at this build's schema and a deck is loaded.
@Suite("Readiness")
struct ReadinessTests {
    /// A store that answers as `inner` does, except for the schema version it reports.
    struct SchemaStore: TariffStore {
        let inner: any TariffStore
        let version: @Sendable () async throws -> Int

        var reference: any ReferenceRepository { inner.reference }
        var decks: any DeckRepository { inner.decks }
        var exchangeRates: any ExchangeRateRepository { inner.exchangeRates }
        var accounts: any AccountRepository { inner.accounts }
        var ledger: any LedgerRepository { inner.ledger }
        var serviceKeys: any ServiceKeyRepository { inner.serviceKeys }
        var numbers: any NumberRepository { inner.numbers }
        var serviceSubscriptions: any ServiceSubscriptionRepository { inner.serviceSubscriptions }
        var operatorTokens: any OperatorTokenRepository { inner.operatorTokens }
        var audit: any AuditRepository { inner.audit }
        var plans: any PlanRepository { inner.plans }
        var connectionUse: ConnectionUse { inner.connectionUse }
        var knownSchemaVersion: Int { inner.knownSchemaVersion }
        func bookFilePath(deck: String) -> String? { nil }
        func migrate() async throws { try await inner.migrate() }
        func schemaVersion() async throws -> Int { try await version() }
        func listenForChanges(_ changed: @escaping @Sendable () -> Void) async throws {}
        func close() async throws {}
    }

    static func ready(_ store: any TariffStore) async throws -> (HTTPResponse.Status, [String: Any]) {
        let state = try await LiveState(store: store, logger: HTTPFixture.logger)
        let router = try buildRouter(configuration: ServerConfiguration(rateLimits: .off), state: state)
        let answer = Mutex<(HTTPResponse.Status, String)?>(nil)
        try await Application(router: router, logger: HTTPFixture.logger).test(.router) { client in
            let response = try await client.execute(uri: "/ready", method: .get)
            answer.withLock { $0 = (response.status, String(buffer: response.body)) }
        }
        let (status, text) = try #require(answer.withLock { $0 })
        let body = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        return (status, body)
    }

    @Test("a migrated database with a deck: ready, at this build's schema version")
    func ready() async throws {
        try await HTTPFixture.with { fixture in
            let (status, body) = try await Self.ready(fixture.store)
            #expect(status == .ok)
            #expect(body["status"] as? String == "ready")
            #expect(body["schema_version"] as? Int == fixture.store.knownSchemaVersion)
            #expect((body["problems"] as? [String])?.isEmpty == true)
        }
    }

    @Test("no deck, an older schema, a failing or silent database: 503 with each reason")
    func notReady() async throws {
        try await HTTPFixture.with { fixture in
            let empty = try await StoreLocation(option: fixture.directory.appendingPathComponent("empty.sqlite").path, environment: [:])
                .open(logger: HTTPFixture.logger)
            let (status, body) = try await Self.ready(empty)
            try await empty.close()
            #expect(status == .serviceUnavailable)
            #expect((body["problems"] as? [String]) == ["no deck is loaded: import one"])

            let known = fixture.store.knownSchemaVersion
            let behind = SchemaStore(inner: fixture.store) { known - 1 }
            let (behindStatus, behindBody) = try await Self.ready(behind)
            #expect(behindStatus == .serviceUnavailable)
            #expect((behindBody["problems"] as? [String])?.first?.contains("run tariff migrate") == true)

            let down = SchemaStore(inner: fixture.store) { throw StoreError.unavailable("test") }
            let (downStatus, downBody) = try await Self.ready(down)
            #expect(downStatus == .serviceUnavailable)
            #expect((downBody["problems"] as? [String]) == ["the database is unavailable"])
        }
    }

    @Test("a database that never answers: not ready once the deadline passes, without waiting for it")
    func silentDatabase() async throws {
        try await HTTPFixture.with { fixture in
            let (never, _) = AsyncStream.makeStream(of: Int.self)
            let silent = SchemaStore(inner: fixture.store) {
                for await version in never { return version }
                return 0
            }
            let state = try await LiveState(store: silent, logger: HTTPFixture.logger)
            let readiness = await Readiness.check(state, deadline: .milliseconds(1))
            #expect(!readiness.ready)
            #expect(readiness.problems.first?.hasPrefix("the database did not answer") == true)
        }
    }
}
