import Foundation
import Hummingbird
import HummingbirdTesting
import TariffHTTP
import Testing

@Suite("Native pricing API")
struct NativePriceTests {
    @Test("GET /v1/prices/voice says which list applied and why, with the cost and the account's currency")
    func explainsTheList() async throws {
        try await HTTPFixture.with { fixture in
            try await fixture.test { client in
                // From Spain to a Spanish landline: no domestic list in this deck, so the international one.
                let body = try await client.execute(
                    uri: "/v1/prices/voice?to=%2B34911234567&from=ES&seconds=61",
                    method: .get,
                    headers: basic("k-usd", "s-usd")
                ).json()
                #expect(body["list"] as? String == "international")
                #expect((body["explanation"] as? [String])?.contains("no domestic price for this number") == true)
                #expect(body["price"] as? String == "0.02000000")
                #expect(body["currency"] as? String == "EUR")
                let converted = try #require(body["converted"] as? [String: Any])
                #expect(converted["currency"] as? String == "USD")
                #expect(converted["price"] as? String == "0.02340000")
                let cost = try #require(body["cost"] as? [String: Any])
                #expect(cost["billed_seconds"] as? Int == 120)
                #expect(cost["total"] as? String == "0.04000000")
                // From Poland (EEA): the EEA list is tried first and skipped, then the international one.
                let eea = try await client.execute(uri: "/v1/prices/voice?to=34606123456&from=PL", method: .get, headers: basic("k-eur", "s-eur"))
                    .json()
                #expect((eea["explanation"] as? [String])?.contains("no eea price for this number") == true)
                #expect(eea["matched_by"] as? String == "network 21407 (Movistar)")
            }
        }
    }

    @Test("problems: no credentials, not a number, unknown product, no price")
    func problems() async throws {
        try await HTTPFixture.with { fixture in
            try await fixture.test { client in
                let anonymous = try await client.execute(uri: "/v1/prices/voice?to=34911234567", method: .get)
                #expect(anonymous.status == .unauthorized)
                #expect(anonymous.headers[.contentType] == "application/problem+json")
                let letters = try await client.execute(uri: "/v1/prices/voice?to=34abc", method: .get, headers: basic("k-eur", "s-eur"))
                #expect(letters.status == .badRequest)
                #expect((try letters.json()["detail"] as? String)?.contains("'a' at position 3") == true)
                let product = try await client.execute(uri: "/v1/prices/fax?to=34911234567", method: .get, headers: basic("k-eur", "s-eur"))
                #expect(product.status == .notFound)
                let unpriced = try await client.execute(uri: "/v1/prices/voice?to=4930123456", method: .get, headers: basic("k-eur", "s-eur"))
                #expect(unpriced.status == .notFound)
                #expect((try unpriced.json()["detail"] as? String)?.contains("no voice-outbound price") == true)
                // An origin that is neither a number nor a known country is the client's mistake.
                for from in ["%C3%A9%C3%A9", "ZZ", "x"] {
                    let origin = try await client.execute(
                        uri: "/v1/prices/voice?to=34911234567&from=\(from)",
                        method: .get,
                        headers: basic("k-eur", "s-eur")
                    )
                    #expect(origin.status == .badRequest, "\(from): \(origin.text)")
                }
            }
        }
    }

    @Test("a number its country cannot have is a bad request, on the native API and as Vonage's 420")
    func impossibleNumbers() async throws {
        try await HTTPFixture.with { fixture in
            try await fixture.test { client in
                for number in ["12345", "3461234", "346123456789012"] {
                    let native = try await client.execute(uri: "/v1/prices/sms?to=\(number)", method: .get, headers: basic("k-eur", "s-eur"))
                    #expect(native.status == .badRequest, "\(number)")
                    #expect((try native.json()["detail"] as? String)?.contains("not a possible number") == true, "\(number)")
                    let vonage = try await client.execute(
                        uri: "/account/get-phone-pricing/outbound/sms?phone=\(number)&api_key=k-eur&api_secret=s-eur",
                        method: .get
                    )
                    #expect(vonage.status.code == 420, "\(number)")
                }
                // The same country at a possible length is priced.
                let good = try await client.execute(uri: "/v1/prices/sms?to=34612345678", method: .get, headers: basic("k-eur", "s-eur"))
                #expect(good.status == .ok)
            }
        }
    }

    @Test("missing credentials and refused ones say which, never which part was wrong")
    func refusedCredentials() async throws {
        try await HTTPFixture.with { fixture in
            try await fixture.test { client in
                let missing = try await client.execute(uri: "/v1/prices/sms?to=34612345678", method: .get)
                let wrongSecret = try await client.execute(uri: "/v1/prices/sms?to=34612345678", method: .get, headers: basic("k-eur", "nope"))
                let wrongKey = try await client.execute(uri: "/v1/prices/sms?to=34612345678", method: .get, headers: basic("k-nope", "s-eur"))
                #expect([missing, wrongSecret, wrongKey].allSatisfy { $0.status == .unauthorized })
                #expect((try missing.json()["detail"] as? String)?.contains("required") == true)
                let refused = try wrongSecret.json()["detail"] as? String
                #expect(refused?.contains("refused") == true)
                #expect(try wrongKey.json()["detail"] as? String == refused)
            }
        }
    }
}
