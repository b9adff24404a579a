import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import TariffCore
import TariffStore
import Testing

@testable import TariffHTTP

/// Price plans through the operator's routes, and every answer an account on one gets: the
/// native price and its explanation, Vonage's and Voximplant's listings, charges, the feed.
@Suite("Price plans: operator routes and every answer through the account's plan")
struct PricePlanRoutesTests {
    /// SMS to Spain +10 % +0.001, everything else +20 %, rounded up to 4 decimals.
    static let rules = "product,country,markup_percent,markup_fixed\nsms-outbound,ES,10,0.001\n,,20,\n"

    static func create(
        _ client: some TestClientProtocol,
        _ token: String,
        name: String = "gold",
        query: String = "rounding=4",
        rules: String = rules
    )
        async throws -> TestResponse
    {
        var headers = AdminRouteTests.bearer(token)
        headers[.contentType] = "text/csv"
        return try await client.execute(
            uri: "/v1/admin/plans/\(name)/versions?\(query)",
            method: .post,
            headers: headers,
            body: ByteBuffer(string: rules)
        )
    }

    static func assign(_ client: some TestClientProtocol, _ token: String, account: Int, _ plan: String) async throws -> TestResponse {
        try await client.execute(
            uri: "/v1/admin/accounts/\(account)/plan",
            method: .put,
            headers: AdminRouteTests.bearer(token),
            body: ByteBuffer(string: #"{"plan":\#(plan)}"#)
        )
    }

    static func vonageSMS(_ client: some TestClientProtocol, key: String = "k-eur", secret: String = "s-eur") async throws -> [String: String] {
        let body = try await client.execute(uri: "/account/get-pricing/outbound/sms?country=ES&api_key=\(key)&api_secret=\(secret)", method: .get)
            .json()
        let networks = (body["networks"] as? [[String: Any]]) ?? []
        return networks.reduce(into: [:]) { $0[$1["networkCode"] as? String ?? ""] = $1["price"] as? String }
    }

    @Test("a plan is created, shown and assigned; the account's prices, explanation, charges and feed follow it, and other accounts keep the deck's")
    func everyAnswerThroughThePlan() async throws {
        try await HTTPFixture.with { fixture in
            let (_, token) = try await fixture.store.operatorTokens.create(name: "pricing", now: .now())
            try await UsageChargeTests.topUp(fixture.store, account: 1, "10")
            try await PriceChangeFeedTests.scheduleRise(fixture)
            try await fixture.test { client in
                #expect(try await Self.vonageSMS(client)["21407"] == "0.06500000")
                let created = try await Self.create(client, token)
                #expect(created.status == .created, "\(created.text)")
                let plan = try created.json()
                let version = try #require((plan["versions"] as? [[String: Any]])?.first)
                #expect(version["rounding"] as? String == "4/up")
                #expect(
                    (version["rules"] as? [[String: Any]])?.map { $0["label"] as? String } == ["sms-outbound ES: +10 % +0.001", "every price: +20 %"]
                )
                #expect(try await Self.assign(client, token, account: 1, #""gold""#).status == .ok)

                // Vonage: Movistar 0.065 + 10 % + 0.001 = 0.0725; the landline 0.05 → 0.056. The USD account is on no plan.
                let eur = try await Self.vonageSMS(client)
                #expect(eur["21407"] == "0.07250000")
                #expect(eur["ES-FIXED"] == "0.05600000")
                #expect(try await Self.vonageSMS(client, key: "k-usd", secret: "s-usd")["21407"] == "0.07605000")

                // The native answer names the rule and the deck's price.
                let native = try await client.execute(uri: "/v1/prices/voice?to=34911234567", method: .get, headers: basic("k-eur", "s-eur")).json()
                #expect(native["price"] as? String == "0.02400000")
                let applied = try #require(native["plan"] as? [String: Any])
                #expect(applied["name"] as? String == "gold")
                #expect(applied["rule"] as? String == "every price: +20 %")
                #expect(applied["rule_line"] as? Int == 3)
                #expect(applied["deck_price"] as? String == "0.02000000")
                #expect(applied["margin"] as? String == "0.00400000")
                #expect((native["explanation"] as? [String])?.last?.hasPrefix("plan gold (version ") == true)

                // A call made now is charged at the plan's price: 120 billed seconds at 0.024. One
                // made before the plan took effect is charged at the deck's.
                let now = Instant.now().iso8601
                let charged = try await UsageChargeTests.post(client, UsageChargeTests.call(id: "cdr-plan", seconds: 61, at: now))
                #expect(charged.status == .created, "\(charged.text)")
                #expect(try charged.json()["amount"] as? String == "-0.04800000", "\(charged.text)")
                let before = try await UsageChargeTests.post(client, UsageChargeTests.call(id: "cdr-old", seconds: 61, at: "2026-11-20T10:00:00Z"))
                #expect(try before.json()["amount"] as? String == "-0.04000000", "\(before.text)")
                // The account never sees the cost; the operator's margin report adds it up.
                #expect(!charged.text.contains("cost_units") && !charged.text.contains("0.04000000"))
                let report = try await client.execute(
                    uri: "/v1/admin/reports/margin?by=country",
                    method: .get,
                    headers: AdminRouteTests.bearer(token)
                )
                #expect(report.status == .ok, "\(report.text)")
                let lines = try #require(try report.json()["lines"] as? [[String: Any]])
                #expect(lines.count == 1)
                #expect(lines.first?["key"] as? String == "ES" && lines.first?["charges"] as? Int == 1)
                #expect(lines.first?["revenue"] as? String == "0.04800000" && lines.first?["cost"] as? String == "0.04000000")
                #expect(lines.first?["margin"] as? String == "0.00800000" && lines.first?["margin_percent"] as? String == "16.67")
                var csvHeaders = AdminRouteTests.bearer(token)
                csvHeaders[.accept] = "text/csv"
                let csv = try await client.execute(uri: "/v1/admin/reports/margin?by=product", method: .get, headers: csvHeaders)
                #expect(
                    csv.text
                        == "key,currency,charges,revenue,cost,margin,margin_percent\nvoice-outbound,EUR,1,0.04800000,0.04000000,0.00800000,16.67\n"
                        + "total,EUR,1,0.04800000,0.04000000,0.00800000,16.67\n",
                    "\(csv.text)"
                )

                // The feed lists the plan's prices: Movistar's rise to 0.07 in 2030 reads 0.0725 → 0.078.
                let feed = try await client.execute(uri: "/v1/changes?since=1", method: .get, headers: basic("k-eur", "s-eur"))
                let rise = try #require((try feed.json()["changes"] as? [[String: Any]])?.first, "\(feed.text)")
                #expect(rise["old_price"] as? String == "0.07250000" && rise["new_price"] as? String == "0.07800000")

                // Off the plan, at the next request.
                #expect(try await Self.assign(client, token, account: 1, "null").status == .ok)
                #expect(try await Self.vonageSMS(client)["21407"] == "0.06500000")
            }
        }
    }

    @Test("bad plans, names, options and assignments are refused and store nothing; the routes need an operator token")
    func refusals() async throws {
        try await HTTPFixture.with { fixture in
            let (_, token) = try await fixture.store.operatorTokens.create(name: "pricing", now: .now())
            try await fixture.test { client in
                let badFile = try await Self.create(client, token, rules: "product,price\nsms-outbound,0.1\n")
                #expect(badFile.status == .unprocessableContent, "\(badFile.text)")
                #expect(badFile.text.contains("plan.csv:1: price: unknown column"))
                let badLine = try await Self.create(client, token, rules: "country,markup_percent\nES,10\nXX,5\nES,7\n")
                #expect(badLine.status == .unprocessableContent)
                #expect(badLine.text.contains("plan.csv:3: country") && badLine.text.contains("plan.csv:4: -: the same prices as line 2"))
                for query in [
                    "rounding=9", "rounding=4/sideways", "minimum_price=-1", "minimum_margin=1e3", "effective_from=2020-01-01", "effective_from=soon",
                ] {
                    let answer = try await Self.create(client, token, query: query)
                    #expect(answer.status == .badRequest, "\(query): \(answer.text)")
                }
                #expect(try await Self.create(client, token, name: "a%20b").status == .badRequest)
                #expect(try await Self.create(client, token, name: String(repeating: "p", count: 65)).status == .badRequest)
                #expect(try await fixture.store.plans.versions().isEmpty)
                #expect(try await Self.assign(client, token, account: 1, #""gold""#).status == .conflict)
                #expect(try await Self.create(client, token).status == .created)
                #expect(try await Self.assign(client, token, account: 999, #""gold""#).status == .notFound)
                #expect(try await Self.assign(client, token, account: 1, "42").status == .badRequest)
                #expect(
                    try await client.execute(uri: "/v1/admin/plans/silver", method: .get, headers: AdminRouteTests.bearer(token)).status == .notFound
                )
                let listed = try await client.execute(uri: "/v1/admin/plans", method: .get, headers: AdminRouteTests.bearer(token)).json()
                #expect((listed["plans"] as? [[String: Any]])?.map { $0["name"] as? String } == ["gold"])
                // An account's key is not an operator's.
                let asAccount = try await client.execute(uri: "/v1/admin/plans", method: .get, headers: basic("k-eur", "s-eur"))
                #expect(asAccount.status == .unauthorized)
                let unsigned = try await client.execute(uri: "/v1/admin/accounts/1/plan", method: .put, body: ByteBuffer(string: #"{"plan":null}"#))
                #expect(unsigned.status == .unauthorized)
                for query in ["by=plan", "from=yesterday", "from=2026-12-01&to=2026-11-01"] {
                    let answer = try await client.execute(
                        uri: "/v1/admin/reports/margin?\(query)",
                        method: .get,
                        headers: AdminRouteTests.bearer(token)
                    )
                    #expect(answer.status == .badRequest, "\(query): \(answer.text)")
                }
                #expect(
                    try await client.execute(uri: "/v1/admin/reports/margin", method: .get, headers: basic("k-eur", "s-eur")).status == .unauthorized
                )
                let audit = try await fixture.store.audit.events(after: 0, limit: 10, action: nil, target: nil).map(\.action)
                #expect(audit == ["plan.version"])
            }
        }
    }

    @Test("a plan stored by another node or the command line is served after the next refresh, and a version dated later from its date")
    func planChangesAreLive() async throws {
        try await HTTPFixture.with { fixture in
            let clock = TestClock(.now())
            let state = try await LiveState(store: fixture.store, logger: HTTPFixture.logger, clock: { clock.now })
            let router = try buildRouter(configuration: ServerConfiguration(rateLimits: .off), state: state)
            try await Application(router: router, logger: HTTPFixture.logger).test(.router) { client in
                let reference = try await fixture.store.reference.tables().compile()
                let upload = PlanUpload(name: "gold", rules: Self.rules, file: "gold.csv", rounding: "4")
                _ = try await fixture.store.plans.add(try upload.version(reference: reference, now: clock.now), now: clock.now)
                _ = try await fixture.store.plans.assign(plan: "gold", accountID: 1, now: clock.now)
                #expect(try await Self.vonageSMS(client)["21407"] == "0.06500000")
                try await state.refresh()
                #expect(try await Self.vonageSMS(client)["21407"] == "0.07250000")
                // A version from tomorrow: +50 % on everything.
                let tomorrow = Instant(secondsSince1970: clock.now.secondsSince1970 + 86_400)
                let later = PlanUpload(name: "gold", rules: "markup_percent\n50\n", file: "gold.csv", effectiveFrom: tomorrow.iso8601)
                _ = try await fixture.store.plans.add(try later.version(reference: reference, now: clock.now), now: clock.now)
                try await state.refresh()
                #expect(try await Self.vonageSMS(client)["21407"] == "0.07250000")
                clock.set(tomorrow)
                #expect(try await Self.vonageSMS(client)["21407"] == "0.09750000")
            }
        }
    }

    @Test("Voximplant's resource prices and number fees follow the account's plan")
    func voximplantThroughThePlan() async throws {
        try await HTTPFixture.withVoximplant { fixture in
            let (_, token) = try await fixture.store.operatorTokens.create(name: "pricing", now: .now())
            try await fixture.test { client in
                let before = try await client.platform("GetResourcePrice", ["resource_type": "PSTN_OUT_INCOUNTRY"])
                #expect(decimalText(VoximplantMethodTests.groups(before).first?["price"]) == "0.01")
                #expect(try await Self.create(client, token, rules: "markup_percent\n20\n").status == .created)
                #expect(try await Self.assign(client, token, account: 1, #""gold""#).status == .ok)
                let after = try await client.platform("GetResourcePrice", ["resource_type": "PSTN_OUT_INCOUNTRY"])
                #expect(decimalText(VoximplantMethodTests.groups(after).first?["price"]) == "0.012")
                let usd = try await client.platform("GetResourcePrice", ["resource_type": "PSTN_OUT_INCOUNTRY"], account: (2, "s-usd"))
                #expect(decimalText(VoximplantMethodTests.groups(usd).first?["price"]) == "0.0117")
                // Mexico's geographic numbers: the monthly fee 5 + 20 % = 6, the one-time fee 10 + 20 % = 12.
                let categories = try await client.platform("GetPhoneNumberCategories", ["country_code": "MX"])
                let mexico = try #require(((categories["result"] as? [[String: Any]])?.first?["phone_categories"] as? [[String: Any]])?.first)
                #expect(decimalText(mexico["phone_price"]) == "6")
                #expect(decimalText(mexico["phone_installation_price"]) == "12")
            }
        }
    }

    static func importOwnPrices(_ fixture: HTTPFixture, _ price: String) async throws {
        let own = """
            product,country,network,prefix,number_type,origin,price,currency,increment,effective_from,description
            sms-outbound,ES,21407,,mobile,any,\(price),EUR,,2026-01-01,Own Movistar

            """
        let reference = try await fixture.store.reference.tables().compile()
        _ = try await DeckImporter(store: fixture.store, reference: reference, logger: HTTPFixture.logger, deck: "acme")
            .importFile(path: try fixture.write("acme-\(price).csv", own), options: DeckOptions(now: .now(), minimumNoticeDays: nil))
    }

    @Test("an override deck's own rows are charged as they are, the rules price the rest, and its next version is served after a refresh")
    func overrideDeck() async throws {
        try await HTTPFixture.with { fixture in
            let (_, token) = try await fixture.store.operatorTokens.create(name: "pricing", now: .now())
            let state = try await LiveState(store: fixture.store, logger: HTTPFixture.logger)
            let router = try buildRouter(configuration: ServerConfiguration(rateLimits: .off), state: state)
            try await Application(router: router, logger: HTTPFixture.logger).test(.router) { client in
                let missing = try await Self.create(client, token, query: "rounding=4&override_deck=acme")
                #expect(missing.status == .badRequest && missing.text.contains("no deck 'acme'"), "\(missing.text)")
                #expect(try await Self.create(client, token, query: "override_deck=base").status == .badRequest)
                try await Self.importOwnPrices(fixture, "0.05")
                let created = try await Self.create(client, token, query: "rounding=4&override_deck=acme")
                #expect(created.status == .created, "\(created.text)")
                #expect((try created.json()["versions"] as? [[String: Any]])?.first?["override_deck"] as? String == "acme")
                #expect(try await Self.assign(client, token, account: 1, #""gold""#).status == .ok)
                // Movistar is the account's own 0.05; the landline has no own row: 0.05 + 10 % + 0.001 = 0.056.
                let prices = try await Self.vonageSMS(client)
                #expect(prices["21407"] == "0.05000000")
                #expect(prices["ES-FIXED"] == "0.05600000")
                // A new version of the own prices: served once the state has looked again.
                try await Self.importOwnPrices(fixture, "0.045")
                #expect(try await Self.vonageSMS(client)["21407"] == "0.05000000")
                try await state.refresh()
                #expect(try await Self.vonageSMS(client)["21407"] == "0.04500000")
            }
        }
    }
}
