import Foundation
import HTTPTypes
import HummingbirdTesting
import TariffCore
import TariffStore
import Testing

@testable import TariffHTTP

/// `--public-prices`: the explorer's routes answer a visitor with no credentials from the deck
/// or a named plan; everything else still needs a key, and a wrong key is still refused.
@Suite("Public prices for the explorer")
struct PublicPricesTests {
    static func get(_ client: some TestClientProtocol, _ path: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        try await client.execute(uri: path, method: .get, headers: headers)
    }

    static func movistar(_ sheet: [String: Any]) -> String? {
        ((sheet["rates"] as? [[String: Any]]) ?? []).first { $0["network"] as? String == "21407" && $0["product"] as? String == "sms-outbound" }?[
            "price"
        ] as? String
    }

    @Test("the deck's prices without a key equal an account's on no plan; other routes and wrong keys are refused")
    func deckPrices() async throws {
        try await HTTPFixture.with { fixture in
            try await fixture.test(publicPrices: PublicPrices(source: .deck, currency: .EUR)) { client in
                let open = try await Self.get(client, "/v1/countries/ES/prices")
                #expect(open.status == .ok, "\(open.text)")
                let sheet = try open.json()
                let account = try await CountryPricesTests.sheet(client, "/v1/countries/ES/prices", "k-eur", "s-eur")
                #expect(sheet["currency"] as? String == "EUR" && Self.movistar(sheet) == "0.06500000")
                #expect(Self.movistar(sheet) == Self.movistar(account))
                #expect((sheet["rates"] as? [Any])?.count == (account["rates"] as? [Any])?.count)
                let dollars = try await Self.get(client, "/v1/countries/ES/prices?currency=USD").json()
                #expect(Self.movistar(dollars) == "0.07605000")
                #expect(try await Self.get(client, "/v1/countries").status == .ok)
                let summary = try await Self.get(client, "/v1/countries/summary?product=sms-outbound")
                #expect(summary.status == .ok, "\(summary.text)")

                // A wrong credential is refused, never read as none; the rest of the API is closed.
                #expect(try await Self.get(client, "/v1/countries/ES/prices", headers: basic("k-eur", "wrong")).status == .unauthorized)
                var bearer = HTTPFields()
                bearer[.authorization] = "Bearer nonsense"
                #expect(try await Self.get(client, "/v1/countries", headers: bearer).status == .unauthorized)
                for path in ["/v1/prices/sms?to=%2B34606123456", "/v1/balance", "/v1/transactions", "/v1/admin/accounts"] {
                    #expect(try await Self.get(client, path).status == .unauthorized, "\(path)")
                }
            }
        }
    }

    @Test("a plan's prices without a key; unavailable while the plan does not exist, and a server refuses to start on one")
    func planPrices() async throws {
        try await HTTPFixture.with { fixture in
            let (_, token) = try await fixture.store.operatorTokens.create(name: "pricing", now: .now())
            try await fixture.test(publicPrices: PublicPrices(source: .plan("gold"), currency: .EUR)) { client in
                let missing = try await Self.get(client, "/v1/countries/ES/prices")
                #expect(missing.status == .serviceUnavailable && missing.text.contains("'gold'"), "\(missing.text)")
                #expect(try await PricePlanRoutesTests.create(client, token).status == .created)
                // Movistar 0.065 + 10 % + 0.001 = 0.0725 through gold; the account on no plan keeps 0.065.
                let sheet = try await Self.get(client, "/v1/countries/ES/prices").json()
                #expect(Self.movistar(sheet) == "0.07250000")
                let account = try await CountryPricesTests.sheet(client, "/v1/countries/ES/prices", "k-eur", "s-eur")
                #expect(Self.movistar(account) == "0.06500000")
                let summary = try await Self.get(client, "/v1/countries/summary?product=sms-outbound").json()
                let spain = ((summary["countries"] as? [[String: Any]]) ?? []).first { $0["iso2"] as? String == "ES" }
                #expect(spain?["highest"] as? String == "0.07250000")
            }
            await #expect(throws: ConfigurationError.self) {
                _ = try await fixture.liveApplication(
                    ServerConfiguration(rateLimits: .off, publicPrices: PublicPrices(source: .plan("silver"), currency: .EUR))
                )
            }
        }
    }

    @Test("--public-prices and --public-currency are parsed once, and bad values refused")
    func parsing() throws {
        #expect(try PublicPrices.parsing("off", currency: "EUR") == nil)
        #expect(try PublicPrices.parsing("deck", currency: "usd") == PublicPrices(source: .deck, currency: .USD))
        #expect(try PublicPrices.parsing("plan:retail", currency: "EUR") == PublicPrices(source: .plan("retail"), currency: .EUR))
        for (text, currency) in [
            ("plan:", "EUR"), ("retail", "EUR"), ("", "EUR"), ("plan:" + String(repeating: "x", count: 101), "EUR"), ("deck", "euro"), ("deck", ""),
        ] {
            #expect(throws: ConfigurationError.self, "\(text.prefix(20)) \(currency)") { try PublicPrices.parsing(text, currency: currency) }
        }
    }
}
