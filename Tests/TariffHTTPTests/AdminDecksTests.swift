import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import TariffCore
import TariffStore
import Testing

@testable import TariffHTTP

/// `POST /v1/admin/decks`: a deck as the request body, imported as `tariff import` imports a
/// file — a dry run stores nothing, a bad file stores nothing and says where each problem is.
@Suite("Admin routes: deck uploads")
struct AdminDecksTests {
    static let newSpain = """
        product,country,network,prefix,number_type,origin,price,currency,increment,effective_from,description
        sms-outbound,ES,ES-FIXED,,landline,any,0.07,EUR,,2026-01-01,Spain Landline

        """

    @Test("a dry run reports the change and stores nothing; the upload stores a version this node serves at once")
    func uploadDeck() async throws {
        try await HTTPFixture.with { fixture in
            let (_, text) = try await fixture.store.operatorTokens.create(name: "pricing", now: .now())
            let state = try await LiveState(store: fixture.store, logger: HTTPFixture.logger)
            let router = try buildRouter(configuration: ServerConfiguration(rateLimits: .off), state: state)
            let before = state.book.version
            try await Application(router: router, logger: HTTPFixture.logger).test(.router) { client in
                func upload(_ query: String, _ body: String) async throws -> TestResponse {
                    var headers = AdminRouteTests.bearer(text)
                    headers[.contentType] = "text/csv"
                    return try await client.execute(uri: "/v1/admin/decks" + query, method: .post, headers: headers, body: ByteBuffer(string: body))
                }
                // The file raises Spain's landline price at once: without notice, refused, row named.
                let tooSoon = try await upload("?partial=true", Self.newSpain)
                #expect(tooSoon.status == .unprocessableContent, "\(tooSoon.text)")
                #expect(tooSoon.text.contains("body:2: effective_from: raises 0.05 to 0.07 EUR"), "\(tooSoon.text)")
                #expect(tooSoon.text.contains("a rise needs 7 days' notice"), "\(tooSoon.text)")
                #expect(try await fixture.store.decks.latestVersion(deck: "base") == before)
                #expect(try await upload("?partial=true&minimum_notice=0", Self.newSpain).status == .unprocessableContent)
                #expect(try await upload("?partial=true&minimum_notice=3651", Self.newSpain).status == .badRequest)
                #expect(try await upload("?partial=true&minimum_notice=-1", Self.newSpain).status == .badRequest)

                let dry = try await upload("?partial=true&dry_run=true&allow_short_notice=true", Self.newSpain)
                #expect(dry.status == .ok, "\(dry.text)")
                #expect(try dry.json()["dry_run"] as? Bool == true)
                let summary = try #require(try dry.json()["summary"] as? [String: Any])
                #expect(summary["increased"] as? Int == 1)
                #expect((summary["increases_by_date"] as? [String: Int])?.values.reduce(0, +) == 1, "\(summary)")
                #expect(try dry.json()["deck_version"] == nil)
                #expect(try await fixture.store.decks.latestVersion(deck: "base") == before)

                let stored = try await upload("?partial=true&allow_short_notice=true", Self.newSpain)
                #expect(stored.status == .created, "\(stored.text)")
                let version = try #require(try stored.json()["deck_version"] as? Int)
                #expect(Int64(version) == before + 1)
                try await state.refresh()
                #expect(state.book.version == before + 1)
                let price = try await client.execute(uri: "/v1/prices/sms?to=34912345678", method: .get, headers: basic("k-eur", "s-eur"))
                #expect(try price.json()["price"] as? String == "0.07000000", "\(price.text)")
            }
        }
    }

    @Test("a file with problems stores nothing and names each problem's line; bad options are refused before the body is read")
    func refusals() async throws {
        try await HTTPFixture.with { fixture in
            let (_, text) = try await fixture.store.operatorTokens.create(name: "pricing", now: .now())
            let before = try await fixture.store.decks.latestVersion(deck: "base")
            try await fixture.test { client in
                func upload(_ query: String, _ body: String) async throws -> TestResponse {
                    try await client.execute(
                        uri: "/v1/admin/decks" + query,
                        method: .post,
                        headers: AdminRouteTests.bearer(text),
                        body: ByteBuffer(string: body)
                    )
                }
                let bad = """
                    product,country,network,prefix,number_type,origin,price,currency,increment,effective_from,description
                    sms-outbound,ES,,,,any,0.07,EUR,,2026-01-01,Spain
                    sms-outbound,ES,21407,,mobile,any,cheap,EUR,,2026-01-01,Movistar
                    sms-outbound,QQ,,,,any,0.01,EUR,,2026-01-01,Nowhere

                    """
                let refused = try await upload("", bad)
                #expect(refused.status == .unprocessableContent, "\(refused.text)")
                #expect(refused.headers[.contentType] == "application/problem+json")
                let problems = try #require(try refused.json()["problems"] as? [[String: Any]])
                #expect(problems.compactMap { $0["line"] as? Int } == [3, 4], "\(refused.text)")
                #expect((problems.first?["text"] as? String)?.hasPrefix("body:3: ") == true)
                #expect(try refused.json()["problems_total"] as? Int == 2)

                for query in ["?kind=pdf", "?dry_run=yes", "?partial=1", "?product=fax", "?origin=mars", "?currency=EURO", "?effective_from=soon"] {
                    let answer = try await upload(query, Self.newSpain)
                    #expect(answer.status == .badRequest, "\(query): \(answer.text)")
                }
                #expect(try await upload("", "").status == .unprocessableContent)
                let inventory = try await upload("?kind=inventory&dry_run=true", "number,country,category\n34911000001,ES,GEOGRAPHIC\n")
                #expect(inventory.status == .ok, "\(inventory.text)")
                #expect(try inventory.json()["rows"] as? Int == 1)
                #expect(try inventory.json()["added"] as? Int == 0)
            }
            #expect(try await fixture.store.decks.latestVersion(deck: "base") == before)
            #expect(try await fixture.store.numbers.available(StockFilter(country: "ES", category: "GEOGRAPHIC", limit: 10, offset: 0)).total == 0)
        }
    }

    @Test("a body larger than the limit is refused with 413")
    func tooLarge() async throws {
        try await HTTPFixture.with { fixture in
            let (_, text) = try await fixture.store.operatorTokens.create(name: "pricing", now: .now())
            let state = try await LiveState(store: fixture.store, logger: HTTPFixture.logger)
            let router = Router(context: BasicRequestContext.self)
            NativeAdminDecksController(state: state, maxBodyBytes: 64).addRoutes(
                to: router.group("v1").add(middleware: ErrorMappingMiddleware.native)
            )
            try await Application(router: router, logger: HTTPFixture.logger).test(.router) { client in
                let answer = try await client.execute(
                    uri: "/v1/admin/decks",
                    method: .post,
                    headers: AdminRouteTests.bearer(text),
                    body: ByteBuffer(string: Self.newSpain)
                )
                #expect(answer.status == .contentTooLarge, "\(answer.text)")
            }
        }
    }
}
