import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import TariffCore
import TariffStore
import Testing

@testable import TariffHTTP

/// `GET /v1/changes`: the prices that change, in the account's currency; and the next
/// scheduled price in the single-number answer.
@Suite("Price change feed over HTTP")
struct PriceChangeFeedTests {
    /// Movistar SMS rises from 0.065 to 0.07 EUR on 2030-01-01 (deck version 2).
    static func scheduleRise(_ fixture: HTTPFixture) async throws {
        let rise = """
            product,country,network,prefix,number_type,origin,price,currency,effective_from,description
            sms-outbound,ES,21407,,mobile,any,0.07,EUR,2030-01-01,Spain Movistar

            """
        let reference = try await fixture.store.reference.tables().compile()
        _ = try await DeckImporter(store: fixture.store, reference: reference, logger: HTTPFixture.logger)
            .importFile(path: try fixture.write("rise.csv", rise), options: DeckOptions(partial: true, now: .now()))
    }

    @Test("the rise in the account's currency, as JSON and as CSV, and the same next price in the price answer")
    func riseInTheAccountsCurrency() async throws {
        try await HTTPFixture.with { fixture in
            try await Self.scheduleRise(fixture)
            try await fixture.test { client in
                let feed = try await client.execute(uri: "/v1/changes?since=1", method: .get, headers: basic("k-usd", "s-usd"))
                #expect(feed.status == .ok, "\(feed.text)")
                let body = try feed.json()
                #expect(body["currency"] as? String == "USD" && body["since"] as? String == "1" && body["deck_version"] as? Int == 2)
                let changes = try #require(body["changes"] as? [[String: Any]])
                #expect(changes.count == 1 && body["total_count"] as? Int == 1)
                let change = try #require(changes.first)
                // 0.065 EUR and 0.07 EUR at 1.17.
                #expect(change["change"] as? String == "increased")
                #expect(change["old_price"] as? String == "0.07605000" && change["new_price"] as? String == "0.08190000")
                #expect(change["effective_at"] as? String == "2030-01-01T00:00:00Z" && change["deck_version"] as? Int == 2)
                #expect(change["country"] as? String == "ES" && change["product"] as? String == "sms-outbound")
                #expect(change["old_setup"] is NSNull)

                var csvHeaders = basic("k-usd", "s-usd")
                csvHeaders[.accept] = "text/csv"
                let csv = try await client.execute(uri: "/v1/changes?since=1", method: .get, headers: csvHeaders)
                #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
                let lines = csv.text.split(separator: "\n").map(String.init)
                #expect(lines.count == 2 && lines[0] + "\n" == PriceChangeRecord.csvHeader)
                let cells = lines[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                let columns = lines[0].split(separator: ",").map(String.init)
                for (column, cell) in zip(columns, cells) {
                    let value = change[column]
                    let expected = (value as? String) ?? (value as? Int).map(String.init) ?? ""
                    #expect(cell == expected, "column \(column)")
                }

                let price = try await client.execute(uri: "/v1/prices/sms?to=%2B34606123456", method: .get, headers: basic("k-usd", "s-usd"))
                let answer = try price.json()
                let next = try #require(answer["next_change"] as? [String: Any])
                #expect(next["price"] as? String == "0.07000000" && next["effective_from"] as? String == "2030-01-01T00:00:00Z")
                #expect((answer["converted"] as? [String: Any])?["next_price"] as? String == change["new_price"] as? String)
                let none = try await client.execute(uri: "/v1/prices/sms?to=%2B352621123456", method: .get, headers: basic("k-usd", "s-usd"))
                #expect((try none.json()["converted"] as? [String: Any])?["next_price"] == nil)
            }
        }
    }

    @Test("since a version, since an instant, by product and country, paged; refusals")
    func filtersAndRefusals() async throws {
        try await HTTPFixture.with { fixture in
            try await Self.scheduleRise(fixture)
            try await fixture.test { client in
                func feed(_ query: String) async throws -> TestResponse {
                    try await client.execute(uri: "/v1/changes?" + query, method: .get, headers: basic("k-eur", "s-eur"))
                }
                func count(_ query: String) async throws -> Int? { try await feed(query).json()["total_count"] as? Int }
                // Six prices new in version 1, then the rise.
                #expect(try await count("since=0") == 7)
                #expect(try await count("since=0&product=voice") == 2)
                #expect(try await count("since=0&product=numbers") == 0)
                #expect(try await count("since=0&country=lu") == 1)
                #expect(try await count("since=2029-12-31") == 1)
                #expect(try await count("since=2030-01-01T00:00:01Z") == 0)
                #expect(try await count("since=2") == 0)
                let page = try await feed("since=0&limit=2&offset=6").json()
                #expect((page["changes"] as? [[String: Any]])?.map { $0["change"] as? String } == ["increased"])
                #expect(page["total_count"] as? Int == 7)
                for bad in [
                    "", "since=", "since=abc", "since=-1", "since=0&product=fax", "since=0&country=XX", "since=0&limit=0", "since=0&offset=-1",
                ] {
                    let refused = try await feed(bad)
                    #expect(refused.status == .badRequest, "\(bad): \(refused.text)")
                }
                let anonymous = try await client.execute(uri: "/v1/changes?since=0", method: .get)
                #expect(anonymous.status == .unauthorized)
            }
        }
    }
}
