import Foundation
import Hummingbird
import HummingbirdTesting
import TariffHTTP
import Testing

@Suite("Vonage Pricing v2")
struct VonageV2Tests {
    @Test("walking next from page 1 visits every row once; every value is a string; links point here")
    func paging() async throws {
        try await HTTPFixture.with { fixture in
            try await fixture.test { client in
                var uri: String? = "/v2/account/pricing/sms-outbound?page_size=2"
                var rows: [String] = []
                var total: Int?
                var pages = 0
                while let next = uri {
                    let response = try await client.execute(uri: next, method: .get, headers: basic("k-eur", "s-eur"))
                    try #require(response.status == .ok, "\(response.text)")
                    let body = try response.json()
                    for key in ["page_size", "page", "total_items", "total_pages"] { #expect(body[key] is String, "\(key)") }
                    total = Int(body["total_items"] as? String ?? "")
                    let embedded = try #require(body["_embedded"] as? [String: Any])
                    for row in try #require(embedded["countries"] as? [[String: Any]]) {
                        #expect(row.values.allSatisfy { $0 is String })
                        rows.append("\(row["country_name"]!)|\(row["dest_network_type"]!)|\(row["price"]!)")
                    }
                    let links = try #require(body["_links"] as? [String: [String: String]])
                    #expect(links["self"]?["href"]?.hasPrefix("http://") == true)
                    uri = links["next"]?["href"].map { href in
                        // The link is absolute; the in-process client wants the path and query.
                        String(href[href.range(of: "/v2/")!.lowerBound...])
                    }
                    pages += 1
                    try #require(pages < 100)
                }
                #expect(rows.count == total)
                #expect(Set(rows).count == rows.count, "a row was visited twice")
                #expect(rows.contains("Spain|ALL|0.06"))
                #expect(rows.contains("Spain|LANDLINE|0.05"))
            }
        }
    }

    @Test("voice rows carry the deck's increments; country filter")
    func voiceIncrements() async throws {
        try await HTTPFixture.with { fixture in
            try await fixture.test { client in
                let body = try await client.execute(
                    uri: "/v2/account/pricing/voice-outbound?country=ES",
                    method: .get,
                    headers: basic("k-eur", "s-eur")
                ).json()
                let rows = try #require((body["_embedded"] as? [String: Any])?["countries"] as? [[String: String]])
                let all = try #require(rows.first { $0["dest_network_type"] == "ALL" })
                #expect(all["group_internal_start"] == "60s" && all["rate_increment"] == "60" && all["price"] == "0.02")
                let mobile = try #require(rows.first { $0["dest_network_type"] == "MOBILE" })
                #expect(mobile["group_internal_start"] == "1s" && mobile["rate_increment"] == "1" && mobile["price"] == "0.04")
                #expect(body["total_items"] as? String == "2")
            }
        }
    }

    @Test("Basic auth only; page_size bounds; RFC 7807 problems")
    func errors() async throws {
        try await HTTPFixture.with { fixture in
            try await fixture.test { client in
                let query = try await client.execute(uri: "/v2/account/pricing/sms-outbound?api_key=k-eur&api_secret=s-eur", method: .get)
                #expect(query.status == .unauthorized)
                #expect(query.headers[.contentType] == "application/problem+json")
                for size in ["0", "1001", "x"] {
                    let response = try await client.execute(
                        uri: "/v2/account/pricing/sms-outbound?page_size=\(size)",
                        method: .get,
                        headers: basic("k-eur", "s-eur")
                    )
                    #expect(response.status == .badRequest, "page_size=\(size)")
                    #expect((try response.json()["type"] as? String)?.hasSuffix("invalid-params") == true)
                }
                let product = try await client.execute(uri: "/v2/account/pricing/fax", method: .get, headers: basic("k-eur", "s-eur"))
                #expect(product.status == .notFound)
                #expect(try product.json()["title"] as? String == "Not Found")
            }
        }
    }
}
