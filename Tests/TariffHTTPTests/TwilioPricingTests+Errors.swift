import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import TariffCore
import TariffStore
import Testing

@testable import TariffHTTP

/// Twilio's refusals: its error body and codes for every kind of failure, and its rate limit.
extension TwilioPricingTests {
    @Test("errors in Twilio's form: 401 without or with wrong credentials, 404 for what is not there, 400 for bad paging")
    func errors() async throws {
        try await HTTPFixture.withVoximplant { fixture in
            try await fixture.test { client in
                func check(_ response: TestResponse, status: HTTPResponse.Status, code: Int, _ what: String) throws {
                    #expect(response.status == status, "\(what): \(response.text)")
                    let body = try #require(try? response.json(), "\(what): not JSON: \(response.text)")
                    #expect(body["code"] as? Int == code, "\(what)")
                    #expect(body["status"] as? Int == Int(status.code), "\(what)")
                    #expect(body["more_info"] as? String == "https://www.twilio.com/docs/errors/\(code)", "\(what)")
                    #expect((body["message"] as? String)?.isEmpty == false, "\(what)")
                }
                let missing = try await client.execute(uri: "/v1/Voice/Countries", method: .get)
                try check(missing, status: .unauthorized, code: 20003, "no credentials")
                #expect(missing.headers[.wwwAuthenticate]?.hasPrefix("Basic") == true)
                for headers in [basic("k-eur", "nope"), basic("nope", "s-eur"), [.authorization: "Basic !!!"], [.authorization: "Bearer x"]] {
                    try check(
                        try await client.execute(uri: "/v2/Voice/Numbers/+499001234567", method: .get, headers: headers),
                        status: .unauthorized,
                        code: 20003,
                        "\(headers)"
                    )
                }
                let eur = basic("k-eur", "s-eur")
                for uri in [
                    "/v1/Messaging/Countries/XX", "/v1/Messaging/Countries/MX", "/v1/Voice/Countries/GB", "/v1/PhoneNumbers/Countries/ES",
                    "/v1/Voice/Numbers/ES", "/v1/Voice/Numbers/+999", "/v1/Voice/Numbers/499001234567", "/v2/Voice/Numbers/+44",
                    "/v1/Messaging/Nothing", "/v2/Trunking/Countries", "/v1/Voice/Numbers/+4990012345", "/v2/Voice/Numbers/+4990012345",
                    "/v2/Voice/Numbers/+4990012345?OriginationNumber=%2B12125550123", "/v1/Voice/Numbers/+" + String(repeating: "9", count: 5000),
                ] {
                    try check(try await client.execute(uri: uri, method: .get, headers: eur), status: .notFound, code: 20404, uri)
                }
                try check(try await client.execute(uri: "/v1/Voice/Countries", method: .post, headers: eur), status: .notFound, code: 20404, "POST")
                for query in [
                    "PageSize=0", "PageSize=1001", "PageSize=-1", "PageSize=x", "Page=-1", "Page=1000001", "Page=99999999999999999999",
                    "PageToken=XY", "PageToken=PA", "PageToken=PAes", "PageToken=PA123456789",
                ] {
                    try check(
                        try await client.execute(uri: "/v1/Voice/Countries?\(query)", method: .get, headers: eur),
                        status: .badRequest,
                        code: 20001,
                        query
                    )
                }
                try check(
                    try await client.execute(uri: "/v2/Voice/Numbers/+499001234567?OriginationNumber=abc", method: .get, headers: eur),
                    status: .badRequest,
                    code: 20001,
                    "origination"
                )
            }
        }
    }

    @Test("a key over its rate limit gets Twilio's 429 with Retry-After; another key is not held back")
    func rateLimited() async throws {
        try await HTTPFixture.withVoximplant { fixture in
            // One request an hour: the second is refused however slowly the test runs.
            try await fixture.test(rateLimits: try RateLimits(parsing: ["pricing=1/h"])) { client in
                let first = try await client.execute(uri: "/v1/Voice/Countries", method: .get, headers: basic("k-eur", "s-eur"))
                #expect(first.status == .ok)
                let refused = try await client.execute(uri: "/v2/Voice/Countries/DE", method: .get, headers: basic("k-eur", "s-eur"))
                #expect(refused.status == .tooManyRequests)
                #expect(try refused.json()["code"] as? Int == 20429)
                #expect(Int(refused.headers[.retryAfter] ?? "") ?? 0 > 0)
                let other = try await client.execute(uri: "/v1/Voice/Countries", method: .get, headers: basic("k-usd", "s-usd"))
                #expect(other.status == .ok)
            }
        }
    }
}
