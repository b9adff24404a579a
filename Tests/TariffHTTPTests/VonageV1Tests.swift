import Foundation
import Hummingbird
import HummingbirdTesting
import TariffCore
import TariffHTTP
import TariffStore
import Testing

@Suite("Vonage Pricing v1")
struct VonageV1Tests {
    static let eur = "api_key=k-eur&api_secret=s-eur"

    @Test("country pricing: default price, networks with MCC/MNC and ranges, pseudo-networks without")
    func countryPricing() async throws {
        try await HTTPFixture.with { fixture in
            try await fixture.test { client in
                let response = try await client.execute(uri: "/account/get-pricing/outbound/sms?country=ES&\(Self.eur)", method: .get)
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json")
                let body = try response.json()
                #expect(body["countryCode"] as? String == "ES")
                #expect(body["countryName"] as? String == "Spain")
                #expect(body["dialingPrefix"] as? String == "34")
                #expect(body["defaultPrice"] as? String == "0.06000000")
                #expect(body["currency"] as? String == "EUR")
                let networks = try #require(body["networks"] as? [[String: Any]])
                let movistar = try #require(networks.first { $0["networkCode"] as? String == "21407" })
                #expect(movistar["price"] as? String == "0.06500000")
                #expect(movistar["mcc"] as? String == "214")
                #expect(movistar["mnc"] as? String == "07")
                #expect(movistar["type"] as? String == "mobile")
                #expect((movistar["ranges"] as? [Int])?.isEmpty == false)
                let fixed = try #require(networks.first { $0["networkCode"] as? String == "ES-FIXED" })
                #expect(fixed["price"] as? String == "0.05000000")
                #expect(fixed["type"] as? String == "landline")
                #expect(fixed["mcc"] == nil && fixed["mnc"] == nil)
            }
        }
    }

    @Test("prices are in the account's currency, converted at the stored rate")
    func accountCurrency() async throws {
        try await HTTPFixture.with { fixture in
            try await fixture.test { client in
                let body = try await client.execute(
                    uri: "/account/get-pricing/outbound/sms?country=ES",
                    method: .get,
                    headers: basic("k-usd", "s-usd")
                ).json()
                // 0.06 EUR at 1 EUR = 1.17 USD.
                #expect(body["defaultPrice"] as? String == "0.07020000")
                #expect(body["currency"] as? String == "USD")
                let networks = try #require(body["networks"] as? [[String: Any]])
                #expect(networks.allSatisfy { $0["currency"] as? String == "USD" })
            }
        }
    }

    @Test("voice, full and prefix pricing; a country without prices has no default or networks")
    func fullAndPrefix() async throws {
        try await HTTPFixture.with { fixture in
            try await fixture.test { client in
                let voice = try await client.execute(uri: "/account/get-pricing/outbound/voice?country=ES&\(Self.eur)", method: .get).json()
                #expect(voice["defaultPrice"] as? String == "0.02000000")
                let full = try await client.execute(uri: "/account/get-full-pricing/outbound/sms?\(Self.eur)", method: .get).json()
                let countries = try #require(full["countries"] as? [[String: Any]])
                #expect(full["count"] as? Int == countries.count)
                #expect(countries.count > 200)
                let france = try #require(countries.first { $0["countryCode"] as? String == "FR" })
                #expect(france["defaultPrice"] == nil && france["networks"] == nil)
                let prefix = try await client.execute(uri: "/account/get-prefix-pricing/outbound/sms?prefix=352&\(Self.eur)", method: .get).json()
                #expect(prefix["count"] as? Int == 1)
                #expect(((prefix["countries"] as? [[String: Any]])?.first?["defaultPrice"]) as? String == "0.01100000")
            }
        }
    }

    @Test("XML when asked for: kebab-case elements, wrapped lists")
    func xml() async throws {
        try await HTTPFixture.with { fixture in
            try await fixture.test { client in
                let response = try await client.execute(
                    uri: "/account/get-pricing/outbound/sms?country=ES&\(Self.eur)",
                    method: .get,
                    headers: [.accept: "application/xml"]
                )
                #expect(response.headers[.contentType] == "application/xml")
                #expect(response.text.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"))
                #expect(response.text.contains("<outbound-country-pricing><country-code>ES</country-code>"))
                #expect(response.text.contains("<default-price>0.06000000</default-price>"))
                #expect(response.text.contains("<network><network-code>21407</network-code>"))
                let balance = try await client.execute(uri: "/account/get-balance?\(Self.eur)", method: .get, headers: [.accept: "application/xml"])
                #expect(balance.text.contains("<accountBalance><value>0.00000000</value><autoReload>false</autoReload></accountBalance>"))
            }
        }
    }

    @Test("legacy untyped forms and credentials in the path")
    func legacyForms() async throws {
        try await HTTPFixture.with { fixture in
            try await fixture.test { client in
                let untyped = try await client.execute(uri: "/account/get-pricing/outbound?country=ES&\(Self.eur)", method: .get).json()
                #expect(untyped["country"] as? String == "ES")
                #expect(untyped["mt"] as? String == "0.06000000")
                #expect(
                    (untyped["networks"] as? [[String: Any]])?.contains {
                        $0["code"] as? String == "21407" && $0["mtPrice"] as? String == "0.06500000"
                    } == true
                )
                let path = try await client.execute(uri: "/account/get-pricing/outbound/k-eur/s-eur/ES", method: .get).json()
                #expect(path["mt"] as? String == "0.06000000")
                let typedPath = try await client.execute(uri: "/account/get-pricing/outbound/voice/k-eur/s-eur/ES", method: .get).json()
                #expect(typedPath["defaultPrice"] as? String == "0.02000000")
                let prefix = try await client.execute(uri: "/account/get-prefix-pricing/outbound/k-eur/s-eur/34", method: .get).json()
                #expect(prefix["count"] as? Int == 1)
                #expect((prefix["prices"] as? [[String: Any]])?.first?["countryDisplayName"] as? String == "Spain")
                let phone = try await client.execute(uri: "/account/get-phone-pricing/outbound/voice/k-eur/s-eur/34911234567", method: .get).json()
                #expect(phone["country-code"] as? String == "ES")
                #expect(phone["price"] as? String == "0.02000000")
            }
        }
    }

    @Test("each error: 400, 401 (pricing and balance bodies), 404 HTML, 420")
    func errors() async throws {
        try await HTTPFixture.with { fixture in
            try await fixture.test { client in
                let missing = try await client.execute(uri: "/account/get-pricing/outbound/sms?\(Self.eur)", method: .get)
                #expect(missing.status == .badRequest)
                #expect(try missing.json()["type"] as? String == "BAD_REQUEST")
                #expect((try missing.json()["invalid_parameters"] as? [String: String])?["parameter"] == "country")
                let wrong = try await client.execute(uri: "/account/get-pricing/outbound/sms?country=ES&api_key=k-eur&api_secret=nope", method: .get)
                #expect(wrong.status == .unauthorized)
                #expect(try wrong.json()["error-code-label"] as? String == "authentication failed")
                #expect(try wrong.json()["currency"] as? String == "EUR")
                let balance = try await client.execute(uri: "/account/get-balance", method: .get, headers: basic("k-eur", "nope"))
                #expect(balance.status == .unauthorized)
                #expect(try balance.json()["error-code"] as? String == "401")
                #expect(try balance.json()["currency"] == nil)
                let product = try await client.execute(uri: "/account/get-pricing/outbound/fax?country=ES&\(Self.eur)", method: .get)
                #expect(product.status == .notFound)
                #expect(product.headers[.contentType] == "text/html")
                #expect(product.text == "404 - Page does not exist")
                let unknown = try await client.execute(uri: "/account/no-such-thing", method: .get)
                #expect(unknown.status == .notFound)
                #expect(unknown.text == "404 - Page does not exist")
                let country = try await client.execute(uri: "/account/get-phone-pricing/outbound/sms?phone=ES&\(Self.eur)", method: .get)
                #expect(country.status.code == 420)
                #expect(try country.json()["error-code-label"] as? String == "method failed")
            }
        }
    }

    @Test("balance is a JSON number with autoReload")
    func balance() async throws {
        try await HTTPFixture.with { fixture in
            try await fixture.test { client in
                let response = try await client.execute(uri: "/account/get-balance", method: .get, headers: basic("k-eur", "s-eur"))
                #expect(response.text == "{\"value\":0.00000000,\"autoReload\":false}")
            }
        }
    }

    @Test("over a key's limit: 429 with Retry-After and Vonage's HTML body; other keys are not affected")
    func rateLimit() async throws {
        try await HTTPFixture.with { fixture in
            // One a minute rather than Vonage's one a second: a slow machine must not refill the bucket between two requests.
            try await fixture.test(rateLimits: try RateLimits(parsing: ["pricing=1/m"])) { client in
                let uri = "/account/get-pricing/outbound/sms?country=ES&\(Self.eur)"
                #expect(try await client.execute(uri: uri, method: .get).status == .ok)
                let limited = try await client.execute(uri: uri, method: .get)
                #expect(limited.status == .tooManyRequests)
                #expect(limited.headers[.retryAfter].flatMap { Int($0) }.map { (1...60).contains($0) } == true)
                #expect(limited.headers[.contentType] == "text/html")
                #expect(limited.text == "429 - Too many requests")
                let other = try await client.execute(
                    uri: "/account/get-pricing/outbound/sms?country=ES",
                    method: .get,
                    headers: basic("k-usd", "s-usd")
                )
                #expect(other.status == .ok)
            }
        }
    }
}

@Suite("Vonage errors and staleness")
struct VonageErrorFormTests {
    @Test("error bodies follow Accept: XML roots accountBalance for the balance, response otherwise")
    func xmlErrors() async throws {
        try await HTTPFixture.with { fixture in
            try await fixture.test { client in
                let balance = try await client.execute(
                    uri: "/account/get-balance?api_key=k-eur&api_secret=nope",
                    method: .get,
                    headers: [.accept: "application/xml"]
                )
                #expect(balance.status == .unauthorized)
                #expect(balance.headers[.contentType] == "application/xml")
                #expect(
                    balance.text.hasSuffix(
                        "<accountBalance><error-code>401</error-code><error-code-label>authentication failed</error-code-label></accountBalance>"
                    )
                )
                let missing = try await client.execute(
                    uri: "/account/get-pricing/outbound/sms?api_key=k-eur&api_secret=s-eur",
                    method: .get,
                    headers: [.accept: "application/xml"]
                )
                #expect(missing.text.contains("<response><type>BAD_REQUEST</type>"))
                #expect(missing.text.contains("<invalid_parameters><parameter>country</parameter>"))
            }
        }
    }

    @Test("v2 answers a price it cannot convert with a 500 problem document, and a rate limit with a 429 problem")
    func v2Problems() async throws {
        try await HTTPFixture.with { fixture in
            _ = try await fixture.store.accounts.create(
                name: "gbp",
                currency: CurrencyCode("GBP")!,
                deck: "base",
                credential: Credentials.make(apiKey: "k-gbp", secret: "s-gbp").credential,
                now: .now()
            )
            try await fixture.test(rateLimits: try RateLimits(parsing: ["pricing=1/m"])) { client in
                let unconvertible = try await client.execute(uri: "/v2/account/pricing/sms-outbound", method: .get, headers: basic("k-gbp", "s-gbp"))
                #expect(unconvertible.status == .internalServerError)
                #expect(unconvertible.headers[.contentType] == "application/problem+json")
                #expect(
                    try await client.execute(uri: "/v2/account/pricing/sms-outbound", method: .get, headers: basic("k-eur", "s-eur")).status == .ok
                )
                let limited = try await client.execute(uri: "/v2/account/pricing/sms-outbound", method: .get, headers: basic("k-eur", "s-eur"))
                #expect(limited.status == .tooManyRequests)
                #expect(limited.headers[.contentType] == "application/problem+json")
                #expect(limited.headers[.retryAfter] != nil)
            }
        }
    }

    @Test("a scheduled change reaches the pre-rendered country pricing when it comes into force")
    func scheduledChangeExpiresCatalog() async throws {
        try await HTTPFixture.with { fixture in
            let reference = try await fixture.store.reference.tables().compile()
            // The server's clock is the test's: the change comes into force when the test says.
            let clock = TestClock(.now())
            let soon = clock.now.adding(seconds: 3600)
            let deck = try fixture.write("later.csv", "product,country,price,currency,effective_from\nsms-outbound,LU,0.013,EUR,\(soon.iso8601)\n")
            _ = try await DeckImporter(store: fixture.store, reference: reference, logger: HTTPFixture.logger)
                .importFile(path: deck, options: DeckOptions(partial: true, now: clock.now))
            try await fixture.test(clock: clock) { (client: any TestClientProtocol) async throws in
                let uri = "/account/get-pricing/outbound/sms?country=LU&api_key=k-eur&api_secret=s-eur"
                #expect(try await client.execute(uri: uri, method: .get).json()["defaultPrice"] as? String == "0.01100000")
                clock.set(soon.adding(seconds: -1))
                #expect(try await client.execute(uri: uri, method: .get).json()["defaultPrice"] as? String == "0.01100000")
                clock.set(soon)
                #expect(try await client.execute(uri: uri, method: .get).json()["defaultPrice"] as? String == "0.01300000")
                let phone = "/account/get-phone-pricing/outbound/sms?phone=352621123456&api_key=k-eur&api_secret=s-eur"
                #expect(try await client.execute(uri: phone, method: .get).json()["price"] as? String == "0.01300000")
            }
        }
    }
}
