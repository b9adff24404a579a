import Foundation
import HTTPTypes
import HummingbirdTesting
import TariffCore
import Testing

@testable import TariffHTTP

/// `GET /v1/countries` and `GET /v1/countries/{iso}/prices`: what the price explorer reads,
/// which must be what a quote of a number answers.
@Suite("Country price sheets over HTTP")
struct CountryPricesTests {
    static func sheet(
        _ client: some TestClientProtocol,
        _ path: String,
        _ key: String = "k-usd",
        _ secret: String = "s-usd"
    ) async throws -> [String: Any] {
        let response = try await client.execute(uri: path, method: .get, headers: basic(key, secret))
        #expect(response.status == .ok, "\(path): \(response.text)")
        return try response.json()
    }

    @Test("each line is the price a quote answers, in the account's currency, with the next scheduled price")
    func linesAreTheQuotesPrices() async throws {
        try await HTTPFixture.with { fixture in
            try await PriceChangeFeedTests.scheduleRise(fixture)
            try await fixture.test { client in
                let sheet = try await Self.sheet(client, "/v1/countries/es/prices")
                #expect(sheet["currency"] as? String == "USD" && sheet["total_rates"] as? Int == 5)
                #expect((sheet["country"] as? [String: Any])?["name"] as? String == "Spain")
                let rates = try #require(sheet["rates"] as? [[String: Any]])
                let movistar = try #require(rates.first { $0["product"] as? String == "sms-outbound" && $0["network"] as? String == "21407" })
                // 0.065 EUR at 1.17, rising to 0.07 EUR on 2030-01-01.
                #expect(movistar["price"] as? String == "0.07605000" && movistar["network_name"] as? String != nil)
                let next = try #require(movistar["next"] as? [String: Any])
                #expect(next["price"] as? String == "0.08190000" && next["effective_from"] as? String == "2030-01-01T00:00:00Z")
                // The same numbers through the quote route.
                for (product, number, network) in [
                    ("sms", "%2B34606123456", "21407"), ("voice", "%2B34606123456", "21407"), ("voice", "%2B34910000000", nil),
                ] {
                    let quote = try await client.execute(uri: "/v1/prices/\(product)?to=\(number)", method: .get, headers: basic("k-usd", "s-usd"))
                        .json()
                    let converted = try #require(quote["converted"] as? [String: Any])
                    let line = try #require(
                        rates.first { line in
                            guard line["product"] as? String == "\(product)-outbound" else { return false }
                            guard let network else { return line["network"] == nil && line["number_type"] == nil }
                            return line["network"] as? String == network
                        },
                        "\(product) \(number): \(rates)"
                    )
                    #expect(line["price"] as? String == converted["price"] as? String, "\(product) \(number)")
                    #expect(line["increment"] as? String == quote["increment"] as? String)
                }
                #expect((sheet["numbers"] as? [Any])?.isEmpty == true)

                let euros = try await Self.sheet(client, "/v1/countries/ES/prices?product=sms-outbound&currency=eur")
                #expect(euros["currency"] as? String == "EUR")
                let line = ((euros["rates"] as? [[String: Any]]) ?? []).first { $0["network"] as? String == "21407" }
                #expect(line?["price"] as? String == "0.06500000")
            }
        }
    }

    @Test("number fees, a prefix filter, a product filter and pages")
    func filtersAndPages() async throws {
        try await HTTPFixture.withVoximplant { fixture in
            try await fixture.test { client in
                let mexico = try await Self.sheet(client, "/v1/countries/MX/prices", "k-eur", "s-eur")
                let numbers = try #require(mexico["numbers"] as? [[String: Any]])
                #expect(numbers.count == 3)
                let city = try #require(numbers.first { $0["region"] as? String == "55" })
                #expect(
                    city["setup"] as? String == "12.00000000" && city["monthly"] as? String == "6.00000000"
                        && city["region_name"] as? String == "Mexico City"
                )
                let lists = Set(((mexico["rates"] as? [[String: Any]]) ?? []).compactMap { $0["list"] as? String })
                #expect(lists == ["domestic", "international"])

                let premium = try await Self.sheet(client, "/v1/countries/DE/prices?prefix=499", "k-eur", "s-eur")
                let lines = try #require(premium["rates"] as? [[String: Any]])
                #expect(lines.count == 1 && lines.first?["prefix"] as? String == "49900" && lines.first?["connect_fee"] as? String == "0.10000000")
                #expect((premium["numbers"] as? [Any])?.isEmpty == true)

                let inbound = try await Self.sheet(client, "/v1/countries/CO/prices?product=voice-inbound", "k-eur", "s-eur")
                #expect(inbound["total_rates"] as? Int == 2)
                var seen: [String] = []
                for offset in 0..<3 {
                    let page = try await Self.sheet(
                        client,
                        "/v1/countries/CO/prices?product=voice-inbound&limit=1&offset=\(offset)",
                        "k-eur",
                        "s-eur"
                    )
                    seen += ((page["rates"] as? [[String: Any]]) ?? []).map { ($0["prefix"] as? String) ?? "-" }
                }
                #expect(seen.sorted() == ["-", "573"])

                let countries = try await Self.sheet(client, "/v1/countries", "k-eur", "s-eur")
                let all = try #require(countries["countries"] as? [[String: Any]])
                let spain = try #require(all.first { $0["iso2"] as? String == "ES" })
                #expect(spain["calling_code"] as? String == "34" && spain["eea"] as? Bool == true)
                #expect(all.count > 200)
            }
        }
    }

    @Test("the map's summary is each country's lowest and highest price on its sheet, per product and list")
    func summaryIsTheSheetsRange() async throws {
        try await HTTPFixture.with { fixture in
            try await fixture.test { client in
                for (product, list) in [("sms-outbound", nil), ("voice-outbound", "international"), ("voice-outbound", nil)] as [(String, String?)] {
                    let path = "/v1/countries/summary?product=\(product)" + (list.map { "&list=\($0)" } ?? "")
                    let summary = try await Self.sheet(client, path)
                    #expect(summary["currency"] as? String == "USD" && summary["product"] as? String == product)
                    let lines = try #require(summary["countries"] as? [[String: Any]])
                    #expect(lines.map { $0["iso2"] as? String ?? "" } == lines.map { $0["iso2"] as? String ?? "" }.sorted())
                    let spain = try #require(lines.first { $0["iso2"] as? String == "ES" }, "\(path)")
                    let sheet = try await Self.sheet(client, "/v1/countries/ES/prices?product=\(product)")
                    let prices = ((sheet["rates"] as? [[String: Any]]) ?? []).filter {
                        list == nil || $0["list"] as? String == list || $0["list"] as? String == "any"
                    }
                    .compactMap { ($0["price"] as? String).flatMap { try? Amount(parsing: $0) } }
                    #expect(spain["rates"] as? Int == prices.count && !prices.isEmpty)
                    #expect((spain["lowest"] as? String).flatMap { try? Amount(parsing: $0) } == prices.min(), "\(path)")
                    #expect((spain["highest"] as? String).flatMap { try? Amount(parsing: $0) } == prices.max(), "\(path)")
                }
                let sms = try await Self.sheet(client, "/v1/countries/summary?product=sms-outbound&currency=EUR", "k-eur", "s-eur")
                let lines = try #require(sms["countries"] as? [[String: Any]])
                #expect(lines.map { $0["iso2"] as? String } == ["ES", "LU"])
                #expect(lines.first?["lowest"] as? String == "0.05000000" && lines.first?["highest"] as? String == "0.06500000")
                let domestic = try await Self.sheet(client, "/v1/countries/summary?product=voice-outbound&list=domestic")
                #expect((domestic["countries"] as? [Any])?.isEmpty == true)

                #expect(try await client.execute(uri: "/v1/countries/summary?product=sms-outbound", method: .get).status == .unauthorized)
                for (path, status) in [
                    ("/v1/countries/summary", HTTPResponse.Status.badRequest),
                    ("/v1/countries/summary?product=fax", .badRequest),
                    ("/v1/countries/summary?product=sms-outbound&list=moon", .badRequest),
                    ("/v1/countries/summary?product=sms-outbound&currency=" + String(repeating: "E", count: 4000), .badRequest),
                    ("/v1/countries/summary?product=sms-outbound&currency=JPY", .unprocessableContent),
                ] {
                    let response = try await client.execute(uri: path, method: .get, headers: basic("k-eur", "s-eur"))
                    #expect(response.status == status, "\(path.prefix(60)): \(response.text)")
                }
            }
        }
    }

    @Test("refused: no credentials, an unknown country, a bad product, prefix or page")
    func refusals() async throws {
        try await HTTPFixture.with { fixture in
            try await fixture.test { client in
                let none = try await client.execute(uri: "/v1/countries/ES/prices", method: .get)
                #expect(none.status == .unauthorized)
                let noList = try await client.execute(uri: "/v1/countries", method: .get)
                #expect(noList.status == .unauthorized)
                for (path, status) in [
                    ("/v1/countries/XX/prices", HTTPResponse.Status.notFound),
                    ("/v1/countries/ESP/prices", .notFound),
                    ("/v1/countries/" + String(repeating: "E", count: 5000) + "/prices", .notFound),
                    ("/v1/countries/ES/prices?product=fax", .badRequest),
                    ("/v1/countries/ES/prices?prefix=3a", .badRequest),
                    ("/v1/countries/ES/prices?prefix=", .badRequest),
                    ("/v1/countries/ES/prices?prefix=1234567890123456", .badRequest),
                    ("/v1/countries/ES/prices?limit=0", .badRequest),
                    ("/v1/countries/ES/prices?currency=euro", .badRequest),
                    ("/v1/countries/ES/prices?currency=JPY", .unprocessableContent),
                    ("/v1/countries/ES/prices?offset=-1", .badRequest),
                    ("/v1/countries/ES/prices?offset=99999999999999999999", .badRequest),
                ] {
                    let response = try await client.execute(uri: path, method: .get, headers: basic("k-eur", "s-eur"))
                    #expect(response.status == status, "\(path.prefix(60)): \(response.text)")
                    #expect(response.headers[.contentType] == "application/problem+json", "\(path.prefix(60))")
                }
            }
        }
    }
}
