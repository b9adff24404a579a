import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import TariffCore
import TariffStore
import Testing

@testable import TariffHTTP

/// Every integer (and date) a request carries, sent at the extremes a tester would try: the
/// answer is the dialect's invalid-argument answer (or a normal one, where the value is
/// allowed), never a crash or a 500, and the server still answers afterwards.
@Suite("Extreme values")
struct ExtremeValuesTests {
    /// Never a valid integer parameter anywhere: negative, past Int64, not an integer.
    static let invalid = [
        "-1", "-9223372036854775808", "9223372036854775808", "18446744073709551616", "1e400", "1e3", "0x10", "1.5", "1 000",
        String(repeating: "9", count: 400), "NaN", "∞",
    ]
    /// Valid integers that some parameters refuse and others accept.
    static let edges = ["0", "1", "2147483647", "2147483648", "9223372036854775807"]

    enum Dialect { case vonageV2, native, voximplant }

    struct Parameter: Sendable, CustomTestStringConvertible {
        let dialect: Dialect
        let uri: @Sendable (String) -> String
        let name: String
        var testDescription: String { name }
    }

    static let parameters: [Parameter] = [
        Parameter(dialect: .vonageV2, uri: { "/v2/account/pricing/sms-outbound?page=\($0)" }, name: "v2 page"),
        Parameter(dialect: .vonageV2, uri: { "/v2/account/pricing/sms-outbound?page_size=\($0)" }, name: "v2 page_size"),
        Parameter(dialect: .vonageV2, uri: { "/v2/account/pricing/voice-outbound?page=\($0)&page_size=2" }, name: "v2 page with page_size"),
        Parameter(dialect: .native, uri: { "/v1/prices/voice?to=34612345678&seconds=\($0)" }, name: "native seconds"),
        Parameter(dialect: .native, uri: { "/v1/prices/sms?to=34612345678&messages=\($0)" }, name: "native messages"),
        Parameter(dialect: .native, uri: { "/v1/prices/sms?to=34612345678&at=\($0)" }, name: "native at"),
        Parameter(dialect: .native, uri: { "/v1/prices/sms?to=\($0)" }, name: "native to"),
        Parameter(dialect: .voximplant, uri: { "/platform_api/GetSubscriptionPrice?count=\($0)" }, name: "GetSubscriptionPrice count"),
        Parameter(dialect: .voximplant, uri: { "/platform_api/GetSubscriptionPrice?offset=\($0)" }, name: "GetSubscriptionPrice offset"),
        Parameter(
            dialect: .voximplant,
            uri: { "/platform_api/GetSubscriptionPrice?subscription_template_id=\($0)" },
            name: "subscription_template_id"
        ),
        Parameter(dialect: .voximplant, uri: { "/platform_api/GetResourcePrice?price_group_id=\($0)" }, name: "price_group_id"),
        Parameter(dialect: .voximplant, uri: { "/platform_api/GetResourcePrice?resource_param=\($0)" }, name: "resource_param"),
        Parameter(
            dialect: .voximplant,
            uri: { "/platform_api/GetPhoneNumberRegions?country_code=MX&phone_category_name=GEOGRAPHIC&phone_region_id=\($0)" },
            name: "phone_region_id"
        ),
        Parameter(
            dialect: .voximplant,
            uri: { "/platform_api/GetTransactionHistory?from_date=2026-01-01&to_date=2026-02-01&count=\($0)" },
            name: "history count"
        ),
        Parameter(
            dialect: .voximplant,
            uri: { "/platform_api/GetTransactionHistory?from_date=2026-01-01&to_date=2026-02-01&offset=\($0)" },
            name: "history offset"
        ),
        Parameter(dialect: .voximplant, uri: { "/platform_api/GetTransactionHistory?from_date=\($0)&to_date=2026-02-01" }, name: "history from_date"),
        Parameter(dialect: .voximplant, uri: { "/platform_api/GetCurrencyRate?currency=EUR&date=\($0)" }, name: "GetCurrencyRate date"),
        Parameter(dialect: .voximplant, uri: { "/platform_api/GetAccountInfo?account_id=\($0)&api_key=s-eur" }, name: "account_id"),
    ]

    /// Dates: the extremes of what a date parser meets.
    static let dates = [
        "0000-01-01", "9999-12-31 23:59:59", "10000-01-01", "2026-02-30", "2026-13-01", "2026-12-01T25:00:00Z",
        "9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+23:59", "-2026-01-01", String(repeating: "2", count: 5000),
    ]

    @Test("extreme values get the dialect's invalid-argument answer and the server stays up", arguments: parameters)
    func extremes(_ parameter: Parameter) async throws {
        try await HTTPFixture.withVoximplant { fixture in
            // Through the router in process: a crash would end the test run itself.
            try await fixture.test { client in
                for value in Self.invalid + Self.edges + Self.dates {
                    let escaped = value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value
                    var uri = parameter.uri(escaped)
                    let headers: HTTPFields = parameter.dialect == .voximplant ? [:] : basic("k-eur", "s-eur")
                    if parameter.dialect == .voximplant, !uri.contains("api_key=") { uri += "&account_id=1&api_key=s-eur" }
                    let response = try await client.execute(uri: uri, method: .get, headers: headers)
                    let context = "\(parameter.name)=\(value.prefix(40)): \(response.status) \(response.text.prefix(200))"
                    switch parameter.dialect {
                    case .vonageV2, .native:
                        #expect(response.status.code < 500, "\(context)")
                        if Self.invalid.contains(value) {
                            #expect([400, 404].contains(Int(response.status.code)), "\(context)")
                            #expect(response.headers[.contentType] == "application/problem+json", "\(context)")
                        }
                    case .voximplant:
                        #expect(response.status == .ok, "\(context)")
                        let body = try response.json()
                        if let error = platformError(body) {
                            #expect([100, 101, 111].contains(error.code), "\(context)")
                        } else {
                            #expect(body["result"] != nil, "\(context)")
                            #expect(!Self.invalid.contains(value) || parameter.name == "resource_param", "\(context)")
                        }
                    }
                }
                let health = try await client.execute(uri: "/health", method: .get)
                #expect(health.status == .ok)
            }
        }
    }

    @Test("the v2 page that crashed the server: on a live server, an invalid-parameters problem, and the last page still answers")
    func v2PageOverflow() async throws {
        try await HTTPFixture.with { fixture in
            let app = try await fixture.liveApplication()
            try await app.test(.live) { client in
                // The project's own client: HummingbirdTesting's gives up after 20 s, and a
                // loaded CI machine has taken longer.
                let raw = RawHTTPClient(port: try #require(client.port), tls: false)
                let authorization = [FastPathEquivalenceTests.basicField("k-eur", "s-eur")]
                let crash = try await raw.send("GET", "/v2/account/pricing/sms-outbound?page=9223372036854775807&page_size=2", fields: authorization)
                #expect(crash.status == 400)
                #expect(try crash.json()["type"] as? String != nil)
                let far = try await raw.send("GET", "/v2/account/pricing/sms-outbound?page=1000000&page_size=1000", fields: authorization)
                #expect(far.status == 200)
                let body = try far.json()
                #expect(((body["_embedded"] as? [String: Any])?["countries"] as? [Any])?.isEmpty == true)
                #expect(try await raw.send("GET", "/health").status == 200)
            }
        }
    }
}
