import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import TariffCore
import TariffStore
import Testing

@testable import TariffHTTP

/// Whether a route is one of Twilio's (its resources are capitalised: `/v1/Voice`, `/v2/Trunking`).
func isTwilioRoute(_ path: some StringProtocol) -> Bool {
    ["/v1/Messaging", "/v1/Voice", "/v1/PhoneNumbers", "/v2/Voice", "/v2/Trunking"].contains { path.hasPrefix($0) }
}

/// Twilio's Pricing API v1 and v2 over the Voximplant fixture's deck: SMS to ES and LU, voice
/// to ES (international), MX (domestic and international), DE (EEA, international, a premium
/// prefix), inbound toll-free calls to CO, and number rental in MX and CO. The EUR account is
/// `k-eur`, the USD one `k-usd`; 1 EUR = 1.17 USD.
@Suite("Twilio Pricing API v1 and v2")
struct TwilioPricingTests {
    static func get(
        _ client: some TestClientProtocol,
        _ uri: String,
        key: String = "k-eur",
        secret: String = "s-eur"
    ) async throws -> (status: HTTPResponse.Status, json: [String: Any]) {
        let response = try await client.execute(uri: uri, method: .get, headers: basic(key, secret))
        #expect(response.headers[.contentType] == "application/json", "\(uri)")
        return (response.status, try response.json())
    }

    /// A link of this server's as the test client asks for it: its path and query.
    static func relative(_ url: String) throws -> String {
        let components = try #require(URLComponents(string: url))
        #expect(components.scheme != nil && components.host != nil, "not absolute: \(url)")
        return components.percentEncodedPath + (components.percentEncodedQuery.map { "?" + $0 } ?? "")
    }

    static func typed(_ list: Any?) -> [String: String] {
        ((list as? [[String: Any]]) ?? []).reduce(into: [:]) { $0[$1["number_type"] as? String ?? "?"] = $1["current_price"] as? String }
    }

    /// Every country of a list, following `next_page_url` from the first page.
    static func pagedCountries(_ client: some TestClientProtocol, _ path: String, pageSize: Int) async throws -> [String] {
        var next: String? = "\(path)?PageSize=\(pageSize)"
        var countries: [String] = []
        var pages = 0
        while let uri = next {
            let (status, page) = try await get(client, uri)
            #expect(status == .ok, "\(uri)")
            let meta = try #require(page["meta"] as? [String: Any])
            #expect(meta["key"] as? String == "countries")
            #expect(meta["page"] as? Int == pages)
            #expect(meta["page_size"] as? Int == pageSize)
            #expect((meta["previous_page_url"] is NSNull) == (pages == 0))
            #expect(try relative(try #require(meta["first_page_url"] as? String)) == "\(path)?PageSize=\(pageSize)&Page=0")
            let items = try #require(page["countries"] as? [[String: Any]])
            #expect(items.count <= pageSize)
            for item in items {
                let iso = try #require(item["iso_country"] as? String)
                #expect(try relative(try #require(item["url"] as? String)) == "\(path)/\(iso)")
                countries.append(iso)
            }
            next = try (meta["next_page_url"] as? String).map(relative)
            #expect(next != nil || meta["next_page_url"] is NSNull)
            pages += 1
            if pages > 100 {
                Issue.record("\(path) does not end")
                break
            }
        }
        return countries
    }

    @Test("each list pages through its countries once, with absolute links, and lists exactly the countries it can show")
    func lists() async throws {
        try await HTTPFixture.withVoximplant { fixture in
            try await fixture.test { client in
                let lists = [
                    ("/v1/Messaging/Countries", ["ES", "LU"]), ("/v1/Voice/Countries", ["CO", "DE", "ES", "MX"]),
                    ("/v2/Voice/Countries", ["CO", "DE", "ES", "MX"]), ("/v1/PhoneNumbers/Countries", ["CO", "MX"]),
                ]
                for (path, expected) in lists {
                    for size in [1, 3, 50, 1000] {
                        #expect(try await Self.pagedCountries(client, path, pageSize: size) == expected, "\(path) PageSize=\(size)")
                    }
                    // Page numbers alone reach the same pages as the links' tokens.
                    let second = try await Self.get(client, "\(path)?PageSize=1&Page=1").json
                    #expect((second["countries"] as? [[String: Any]])?.first?["iso_country"] as? String == expected[1])
                    for iso in expected {
                        #expect(try await Self.get(client, "\(path)/\(iso)").status == .ok, "\(path)/\(iso)")
                    }
                }
                let empty = try await Self.get(client, "/v1/Messaging/Countries?PageSize=10&Page=7").json
                #expect((empty["countries"] as? [Any])?.isEmpty == true)
                #expect((empty["meta"] as? [String: Any])?["next_page_url"] is NSNull)
            }
        }
    }

    @Test("containers name what is below them, with absolute links")
    func containers() async throws {
        try await HTTPFixture.withVoximplant { fixture in
            try await fixture.test { client in
                for (path, name, links) in [
                    ("/v1/Messaging", "messaging", ["countries": "/v1/Messaging/Countries"]),
                    ("/v1/Voice", "voice", ["countries": "/v1/Voice/Countries", "numbers": "/v1/Voice/Numbers"]),
                    ("/v1/PhoneNumbers", "phone_numbers", ["countries": "/v1/PhoneNumbers/Countries"]),
                    ("/v2/Voice", "voice", ["countries": "/v2/Voice/Countries", "numbers": "/v2/Voice/Numbers"]),
                ] {
                    let (status, body) = try await Self.get(client, path)
                    #expect(status == .ok)
                    #expect(body["name"] as? String == name)
                    #expect(try Self.relative(try #require(body["url"] as? String)) == path)
                    let got = try (body["links"] as? [String: String] ?? [:]).mapValues(Self.relative)
                    #expect(got == links, "\(path)")
                }
            }
        }
    }

    @Test("SMS: a carrier per network with its MCC and MNC, then Other per number type; in the account's currency")
    func messagingCountry() async throws {
        try await HTTPFixture.withVoximplant { fixture in
            try await fixture.test { client in
                let (status, spain) = try await Self.get(client, "/v1/Messaging/Countries/es")
                #expect(status == .ok)
                #expect(spain["country"] as? String == "Spain")
                #expect(spain["iso_country"] as? String == "ES")
                #expect(spain["price_unit"] as? String == "EUR")
                #expect(try Self.relative(try #require(spain["url"] as? String)) == "/v1/Messaging/Countries/ES")
                let carriers = try #require(spain["outbound_sms_prices"] as? [[String: Any]])
                #expect(carriers.map { $0["carrier"] as? String }.count == 2)
                let movistar = try #require(carriers.first)
                #expect(movistar["mcc"] as? String == "214")
                #expect(movistar["mnc"] as? String == "07")
                // The carrier's name is the one Vonage gives the same network.
                let vonage = try await client.execute(
                    uri: "/account/get-pricing/outbound/sms?country=ES&api_key=k-eur&api_secret=s-eur",
                    method: .get
                )
                .json()
                let network = ((vonage["networks"] as? [[String: Any]]) ?? []).first { $0["networkCode"] as? String == "21407" }
                #expect(movistar["carrier"] as? String == network?["networkName"] as? String)
                #expect(Self.typed(movistar["prices"]) == ["mobile": "0.065"])
                let other = try #require(carriers.last)
                #expect(other["carrier"] as? String == "Other")
                #expect(other["mcc"] as? String == "" && other["mnc"] as? String == "")
                // The landline row prices local numbers; the country's default every other type.
                let others = (other["prices"] as? [[String: Any]]) ?? []
                #expect(others.map { $0["number_type"] as? String } == ["local", "mobile", "national", "toll free"])
                #expect(Self.typed(other["prices"]) == ["local": "0.05", "mobile": "0.06", "national": "0.06", "toll free": "0.06"])
                #expect(others.allSatisfy { $0["base_price"] as? String == $0["current_price"] as? String })
                #expect((spain["inbound_sms_prices"] as? [Any])?.isEmpty == true)

                let usd = try await Self.get(client, "/v1/Messaging/Countries/ES", key: "k-usd", secret: "s-usd").json
                #expect(usd["price_unit"] as? String == "USD")
                let usdCarrier = ((usd["outbound_sms_prices"] as? [[String: Any]]) ?? []).first
                #expect(Self.typed(usdCarrier?["prices"]) == ["mobile": "0.07605"])
            }
        }
    }

    @Test("voice by country: v1 without an origin, v2 per origin list with its origination prefixes; inbound by number type")
    func voiceCountries() async throws {
        try await HTTPFixture.withVoximplant { fixture in
            try await fixture.test { client in
                let mexicoV1 = try await Self.get(client, "/v1/Voice/Countries/MX").json
                let v1Prices = try #require(mexicoV1["outbound_prefix_prices"] as? [[String: Any]])
                #expect(v1Prices.count == 1)
                #expect(v1Prices.first?["prefixes"] as? [String] == ["52"])
                #expect(v1Prices.first?["friendly_name"] as? String == "Mexico Fixed")
                #expect(v1Prices.first?["current_price"] as? String == "0.05")

                let mexico = try #require(try await Self.get(client, "/v2/Voice/Countries/MX").json["outbound_prefix_prices"] as? [[String: Any]])
                let fixed = mexico.filter { $0["friendly_name"] as? String == "Mexico Fixed" }
                #expect(fixed.map { $0["origination_prefixes"] as? [String] } == [["52"], ["ROW"]])
                #expect(fixed.map { $0["current_price"] as? String } == ["0.01", "0.05"])
                #expect(fixed.allSatisfy { $0["destination_prefixes"] as? [String] == ["52"] })
                let mobile = try #require(mexico.first { $0["friendly_name"] as? String == "Mexico Mobile" })
                #expect(mobile["origination_prefixes"] as? [String] == ["52"])
                let ranges = (mobile["destination_prefixes"] as? [String]) ?? []
                #expect(!ranges.isEmpty && ranges.allSatisfy { $0.hasPrefix("52") })

                let germany = try #require(try await Self.get(client, "/v2/Voice/Countries/DE").json["outbound_prefix_prices"] as? [[String: Any]])
                let eea = try #require(germany.first)
                let codes = (eea["origination_prefixes"] as? [String]) ?? []
                #expect(codes.contains("49") && codes.contains("34") && codes.contains("352") && !codes.contains("1") && !codes.contains("44"))
                #expect(codes == codes.sorted() && Set(codes).count == codes.count)
                #expect(eea["current_price"] as? String == "0.02")
                let premium = try #require(germany.first { $0["friendly_name"] as? String == "Germany Premium" })
                #expect(premium["destination_prefixes"] as? [String] == ["49900"])
                #expect(premium["origination_prefixes"] as? [String] == ["ROW"])
                #expect(premium["current_price"] as? String == "1.5")

                // Inbound toll-free calls to Colombia, for any caller (the row for callers from 573 is not Twilio's).
                let colombia = try await Self.get(client, "/v2/Voice/Countries/CO", key: "k-usd", secret: "s-usd").json
                #expect(Self.typed(colombia["inbound_call_prices"]) == ["toll free": "0.07"])
                #expect((colombia["outbound_prefix_prices"] as? [Any])?.isEmpty == true)
                #expect(
                    Self.typed(try await Self.get(client, "/v1/Voice/Countries/CO", key: "k-usd", secret: "s-usd").json["inbound_call_prices"]) == [
                        "toll free": "0.07"
                    ]
                )
            }
        }
    }

    @Test("number rental: the country-wide monthly price per type, else the lowest region's")
    func phoneNumberCountries() async throws {
        try await HTTPFixture.withVoximplant { fixture in
            try await fixture.test { client in
                let mexico = try await Self.get(client, "/v1/PhoneNumbers/Countries/MX").json
                #expect(Self.typed(mexico["phone_number_prices"]) == ["local": "5", "toll free": "15"])
                #expect((mexico["phone_number_prices"] as? [[String: Any]])?.map { $0["number_type"] as? String } == ["local", "toll free"])
                let colombia = try await Self.get(client, "/v1/PhoneNumbers/Countries/CO", key: "k-usd", secret: "s-usd").json
                #expect(Self.typed(colombia["phone_number_prices"]) == ["toll free": "15.79"])
                #expect(colombia["price_unit"] as? String == "USD")
            }
        }
    }

    @Test("a number's price: v1 without an origin, v2 for the list its origin takes or for every list")
    func numbers() async throws {
        try await HTTPFixture.withVoximplant { fixture in
            try await fixture.test { client in
                for path in ["/v1/Voice/Numbers/+499001234567", "/v1/Voice/Numbers/%2B499001234567"] {
                    let (status, premium) = try await Self.get(client, path)
                    #expect(status == .ok, "\(path): \(premium)")
                    #expect(premium["number"] as? String == "+499001234567")
                    #expect(premium["iso_country"] as? String == "DE")
                    #expect((premium["outbound_call_price"] as? [String: Any])?["current_price"] as? String == "1.5")
                    #expect(premium["inbound_call_price"] is NSNull)
                }
                let tollFree = try await Self.get(client, "/v1/Voice/Numbers/+5718001234567", key: "k-usd", secret: "s-usd")
                #expect(tollFree.status == .notFound, "no outbound price to Colombia")

                func v2(_ destination: String, from origin: String?) async throws -> [(prefixes: [String], price: String)] {
                    let query = origin.map { "?OriginationNumber=\($0.replacingOccurrences(of: "+", with: "%2B"))" } ?? ""
                    let (status, body) = try await Self.get(client, "/v2/Voice/Numbers/\(destination)\(query)")
                    #expect(status == .ok, "\(destination) from \(origin ?? "-")")
                    #expect(body["destination_number"] as? String == destination)
                    #expect(origin == nil ? body["origination_number"] is NSNull : body["origination_number"] as? String == origin)
                    return ((body["outbound_call_prices"] as? [[String: Any]]) ?? []).map {
                        (($0["origination_prefixes"] as? [String]) ?? [], $0["current_price"] as? String ?? "")
                    }
                }
                let fromGermany = try await v2("+499001234567", from: "+493012345678")
                #expect(fromGermany.count == 1 && fromGermany.first?.prefixes.contains("49") == true && fromGermany.first?.price == "0.02")
                #expect(try await v2("+499001234567", from: "+12125550123").map(\.price) == ["1.5"])
                #expect(try await v2("+499001234567", from: "+12125550123").map(\.prefixes) == [["ROW"]])
                let everyList = try await v2("+499001234567", from: nil)
                #expect(everyList.map(\.price) == ["0.02", "1.5"])
                #expect(everyList.last?.prefixes == ["ROW"])
            }
        }
    }

    @Test("the same number gets the same price from Twilio, Vonage, Voximplant and the native API, with and without an origin")
    func sameAcrossDialects() async throws {
        try await HTTPFixture.withVoximplant { fixture in
            try await fixture.test { client in
                func decimal(_ text: String?) -> Decimal? { text.flatMap { Decimal(string: $0) } }
                /// The native answer's price in the account's currency: `converted` when the deck's differs.
                func nativePrice(_ body: [String: Any]) -> Decimal? {
                    decimal(((body["converted"] as? [String: Any])?["price"] ?? body["price"]) as? String)
                }
                for (number, key, secret) in [
                    ("34911234567", "k-eur", "s-eur"), ("499001234567", "k-usd", "s-usd"), ("493012345678", "k-eur", "s-eur"),
                ] {
                    let twilio = try await Self.get(client, "/v1/Voice/Numbers/+\(number)", key: key, secret: secret).json
                    let twilioPrice = decimal((twilio["outbound_call_price"] as? [String: Any])?["current_price"] as? String)
                    let native = try await client.execute(uri: "/v1/prices/voice?to=\(number)", method: .get, headers: basic(key, secret)).json()
                    let vonage = try await client.execute(
                        uri: "/account/get-phone-pricing/outbound/voice?phone=\(number)&api_key=\(key)&api_secret=\(secret)",
                        method: .get
                    ).json()
                    #expect(twilioPrice != nil)
                    #expect(twilioPrice == nativePrice(native), "\(number)")
                    #expect(twilioPrice == decimal(vonage["price"] as? String), "\(number)")
                }
                // From an EEA number and from elsewhere: Twilio v2, the native API and the Voximplant list of that origin.
                for (origin, resource) in [("+34911234567", "PSTNOUT_EEA"), ("+12125550123", "PSTN_INTERNATIONAL")] {
                    let twilio = try await Self.get(
                        client,
                        "/v2/Voice/Numbers/+493012345678?OriginationNumber=\(origin.replacingOccurrences(of: "+", with: "%2B"))"
                    )
                    .json
                    let price = decimal(((twilio["outbound_call_prices"] as? [[String: Any]])?.first)?["current_price"] as? String)
                    let native = try await client.execute(
                        uri: "/v1/prices/voice?to=493012345678&from=\(origin.replacingOccurrences(of: "+", with: "%2B"))",
                        method: .get,
                        headers: basic("k-eur", "s-eur")
                    ).json()
                    #expect(price != nil)
                    #expect(price == nativePrice(native), "\(origin)")
                    let voximplant = try await client.platform("GetResourcePrice", ["resource_type": resource, "resource_param": "493012345678"])
                    #expect(
                        price == decimalText(VoximplantMethodTests.groups(voximplant).first?["price"]).flatMap { Decimal(string: $0) },
                        "\(origin)"
                    )
                }
            }
        }
    }

    @Test("base_price is the deck's and current_price the account's plan's")
    func planPrices() async throws {
        try await HTTPFixture.withVoximplant { fixture in
            let (_, token) = try await fixture.store.operatorTokens.create(name: "pricing", now: .now())
            try await fixture.test { client in
                #expect(try await PricePlanRoutesTests.create(client, token).status == .created)
                #expect(try await PricePlanRoutesTests.assign(client, token, account: 1, #""gold""#).status == .ok)
                // SMS to Spain +10 % +0.001 rounded up to 4 decimals; everything else +20 %.
                let spain = try await Self.get(client, "/v1/Messaging/Countries/ES").json
                let movistar = ((spain["outbound_sms_prices"] as? [[String: Any]])?.first?["prices"] as? [[String: Any]])?.first
                #expect(movistar?["base_price"] as? String == "0.065")
                #expect(movistar?["current_price"] as? String == "0.0725")
                let premium = try await Self.get(client, "/v1/Voice/Numbers/+499001234567").json["outbound_call_price"] as? [String: Any]
                #expect(premium?["base_price"] as? String == "1.5")
                #expect(premium?["current_price"] as? String == "1.8")
                let rental = try await Self.get(client, "/v1/PhoneNumbers/Countries/MX").json["phone_number_prices"] as? [[String: Any]]
                #expect(rental?.first?["base_price"] as? String == "5")
                #expect(rental?.first?["current_price"] as? String == "6")
                // The USD account is on no plan.
                let usd = try await Self.get(client, "/v1/Voice/Numbers/+499001234567", key: "k-usd", secret: "s-usd").json
                let usdPrice = usd["outbound_call_price"] as? [String: Any]
                #expect(usdPrice?["base_price"] as? String == "1.755" && usdPrice?["current_price"] as? String == "1.755")
            }
        }
    }
}
