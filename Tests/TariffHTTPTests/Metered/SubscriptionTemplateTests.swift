import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import TariffCore
import TariffStore
import Testing

@testable import TariffHTTP

/// SIP registrations and plans over HTTP: the native routes, Voximplant's methods, and usage
/// drawn from a package before it is charged.
@Suite("Subscriptions beyond numbers over HTTP")
struct SubscriptionTemplateTests {
    static let templates = """
        template,type,name,installation_price,monthly_price,currency,includes,effective_from
        sip-registration,SIP_REGISTRATION,SIP registration,1,2,EUR,,2026-01-01
        speech,PACKAGE,Speech package,0,10,EUR,speech-recognition=600;speech-synthesis/neural=5000,2026-01-01
        mau-500,MAU,500 MAU,0,25,EUR,,2026-01-01

        """

    static func withTemplates(_ body: (HTTPFixture) async throws -> Void) async throws {
        try await HTTPFixture.withMetered { fixture in
            let reference = try await fixture.store.reference.tables().compile()
            _ = try await DeckImporter(store: fixture.store, reference: reference, logger: HTTPFixture.logger)
                .importFile(path: try fixture.write("templates.csv", templates), options: DeckOptions(kind: .templates, now: Instant.now()))
            try await UsageChargeTests.topUp(fixture.store, account: 1, "100")
            try await body(fixture)
        }
    }

    static func post(_ client: some TestClientProtocol, _ uri: String, _ json: String) async throws -> TestResponse {
        var headers = UsageChargeTests.eur
        headers[.contentType] = "application/json"
        return try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: json))
    }

    static func now() -> String { Instant.now().iso8601 }

    @Test("native: templates offered, a package subscribed, usage drawn from it before any charge, cancelled")
    func nativePackage() async throws {
        try await Self.withTemplates { fixture in
            try await fixture.test { client in
                let offered = try await client.execute(uri: "/v1/templates", method: .get, headers: UsageChargeTests.eur).json()
                let names = (offered["templates"] as? [[String: Any]])?.compactMap { $0["template"] as? String }
                #expect(names == ["mau-500", "sip-registration", "speech"])

                let made = try await Self.post(client, "/v1/subscriptions", #"{"template":"speech"}"#)
                #expect(made.status == .created, "\(made.text)")
                let subscription = try #require(try made.json()["subscription"] as? [String: Any])
                let id = try #require(subscription["id"] as? Int)
                #expect(subscription["type"] as? String == "PACKAGE")
                #expect((subscription["included"] as? [[String: Any]])?.count == 2)
                #expect(try await Self.post(client, "/v1/subscriptions", #"{"template":"speech"}"#).status == .ok)

                // 100 s included; then 550 s: 500 included, 50 charged (60 s in blocks).
                let covered = try await UsageChargeTests.post(
                    client,
                    #"{"id":"p1","product":"speech-recognition","units":100,"occurred_at":"\#(Self.now())"}"#
                )
                #expect(covered.status == .created, "\(covered.text)")
                #expect(try covered.json()["amount"] as? String == "0.00000000")
                let beyond = try await UsageChargeTests.post(
                    client,
                    #"{"id":"p2","product":"speech-recognition","units":550,"occurred_at":"\#(Self.now())"}"#
                )
                #expect(try beyond.json()["amount"] as? String == "-0.01600000", "\(beyond.text)")
                #expect((try beyond.json()["explanation"] as? [String: Any])?["included_units"] as? Int == 500)
                // The variant's allowance covers only that variant.
                let standard = try await UsageChargeTests.post(
                    client,
                    #"{"id":"s1","product":"speech-synthesis","units":1000,"occurred_at":"\#(Self.now())"}"#
                )
                #expect(try standard.json()["amount"] as? String != "0.00000000", "\(standard.text)")
                let neural = try await UsageChargeTests.post(
                    client,
                    #"{"id":"s2","product":"speech-synthesis","units":1000,"variant":"neural","occurred_at":"\#(Self.now())"}"#
                )
                #expect(try neural.json()["amount"] as? String == "0.00000000", "\(neural.text)")

                let listed = try await client.execute(uri: "/v1/subscriptions", method: .get, headers: UsageChargeTests.eur).json()
                let mine = try #require((listed["subscriptions"] as? [[String: Any]])?.first)
                let left = (mine["included"] as? [[String: Any]])?.map { ($0["product"] as? String ?? "", $0["left"] as? Int ?? -1) }
                #expect(left?.first { $0.0 == "speech-recognition" }?.1 == 0)
                #expect(left?.first { $0.0 == "speech-synthesis" }?.1 == 4000)

                let cancelled = try await client.execute(uri: "/v1/subscriptions/\(id)", method: .delete, headers: UsageChargeTests.eur)
                #expect(try cancelled.json()["state"] as? String == "cancelled")
                #expect(try await client.execute(uri: "/v1/subscriptions/999", method: .delete, headers: UsageChargeTests.eur).status == .notFound)
                for bad in [#"{"template":"nope"}"#, #"{}"#, #"{"template":"Speech"}"#, #"{"template":"speech","label":""}"#] {
                    let response = try await Self.post(client, "/v1/subscriptions", bad)
                    #expect(response.status == .badRequest || response.status == .unprocessableContent, "\(bad): \(response.text)")
                }
            }
            try await UsageChargeTests.expectBalanced(fixture.store)
        }
    }

    @Test("a batch of metered records draws on the package in order, within one commit")
    func batchDraws() async throws {
        try await Self.withTemplates { fixture in
            try await fixture.test { client in
                #expect(try await Self.post(client, "/v1/subscriptions", #"{"template":"speech"}"#).status == .created)
                let at = Self.now()
                let lines = (1...4).map { #"{"id":"b\#($0)","product":"speech-recognition","units":200,"occurred_at":"\#(at)"}"# }
                let answers = try UsageBatchTests.lines(try await UsageBatchTests.batch(client, lines.joined(separator: "\n")))
                // 600 s included: three records covered, the fourth charged (200 s in blocks is 210 s).
                #expect(answers.map { $0["amount"] as? String } == ["0.00000000", "0.00000000", "0.00000000", "-0.05600000"])
            }
            try await UsageChargeTests.expectBalanced(fixture.store)
        }
    }

    @Test("Voximplant: SIP registrations created, listed and deleted; the plan changed and read; wrong ids refused")
    func voximplant() async throws {
        try await Self.withTemplates { fixture in
            try await fixture.test { client in
                let sip = try await client.platform("GetSubscriptionPrice", ["subscription_template_type": "SIP_REGISTRATION"])
                let template = try #require((sip["result"] as? [[String: Any]])?.first)
                #expect(template["subscription_template_name"] as? String == "SIP registration")
                #expect(decimalText(template["installation_price"]) == "1" && decimalText(template["price"]) == "2")
                let all = try await client.platform("GetSubscriptionPrice")
                let ids = (all["result"] as? [[String: Any]])?.compactMap { $0["subscription_template_id"] as? Int } ?? []
                #expect(Set(ids).count == ids.count && ids.count == all["total_count"] as? Int)

                let created = try await client.platform(
                    "CreateSipRegistration",
                    ["sip_username": "bob", "proxy": "sip.example.com", "password": "x"]
                )
                let id = try #require(created["sip_registration_id"] as? Int)
                #expect(decimalText((created["account_info"] as? [String: Any])?["balance"]) == "97")
                let listed = try await client.platform("GetSipRegistrations")
                let registration = try #require((listed["result"] as? [[String: Any]])?.first)
                #expect(registration["sip_username"] as? String == "bob" && registration["password"] == nil)
                #expect((registration["purchase_date"] as? String)?.count == 19)
                #expect((registration["next_subscription_renewal"] as? String)?.count == 10)
                #expect(platformError(try await client.platform("CreateSipRegistration", ["proxy": "p"]))?.code != nil)
                #expect(platformError(try await client.platform("DeleteSipRegistration", ["sip_registration_id": "999"]))?.code == 101)
                #expect(platformError(try await client.platform("DeleteSipRegistration", ["sip_registration_id": "x"]))?.code != nil)
                #expect(try await client.platform("DeleteSipRegistration", ["sip_registration_id": String(id)])["result"] as? Int == 1)
                #expect((try await client.platform("GetSipRegistrations")["result"] as? [Any])?.isEmpty == true)

                let plans = try await client.platform("GetSubscriptionPrice", ["subscription_template_type": "PACKAGE"])
                let package = try #require((plans["result"] as? [[String: Any]])?.first?["subscription_template_id"] as? Int)
                #expect(platformError(try await client.platform("ChangeAccountPlan", ["plan_subscription_template_id": "7"]))?.code == 101)
                #expect(
                    platformError(
                        try await client.platform("ChangeAccountPlan", ["plan_subscription_template_id": String(package), "plan_type": "MAU"])
                    )?
                    .code == 101
                )
                // A SIP registration is not a plan.
                let sipID = try #require(template["subscription_template_id"] as? Int)
                #expect(platformError(try await client.platform("ChangeAccountPlan", ["plan_subscription_template_id": String(sipID)]))?.code == 101)
                let changed = try await client.platform("ChangeAccountPlan", ["plan_subscription_template_id": String(package)])
                #expect(changed["result"] as? Int == 1)
                #expect(decimalText((changed["account_info"] as? [String: Any])?["balance"]) == "87")
                let held = try await client.platform("GetAccountPlans")
                let plan = try #require((held["result"] as? [[String: Any]])?.first)
                #expect(plan["plan_subscription_template_id"] as? Int == package)
                #expect(plan["plan_type"] as? String == "PACKAGE" && decimalText(plan["periodic_charge"]) == "10")
                let packages = try #require(plan["packages"] as? [[String: Any]])
                #expect(packages.map { $0["package_size"] as? Int } == [600, 5000])
                #expect(packages.map { $0["resource_left"] as? Int } == [600, 5000])
                #expect(decimalText(packages[0]["overrun_price"]) == "0.016" && packages[0]["overrun_resources"] as? Int == 60)
                #expect((packages[1]["price_group_id"] as? [Int])?.count == 1)
                #expect((try await client.platform("GetAccountPlans", ["plan_type": "MAU"])["result"] as? [Any])?.isEmpty == true)

                let due = try await client.platform("GetMoneyAmountToCharge", ["charge_date": "2099-01-01"])
                let types = ((due["result"] as? [String: Any])?["subscriptions"] as? [[String: Any]])?.compactMap {
                    $0["subscription_type"] as? String
                }
                #expect(types == ["PACKAGE"])
            }
        }
    }
}

extension SubscriptionTemplateTests {
    @Test("the renewal service renews SIP registrations and plans with numbers: each period's fee and units once")
    func renewalService() async throws {
        try await Self.withTemplates { fixture in
            let clock = TestClock(try Instant(parsing: "2026-12-10T00:00:00Z"))
            let state = try await LiveState(store: fixture.store, logger: HTTPFixture.logger, clock: { clock.now })
            let account = try #require(try await fixture.store.accounts.account(id: 1))
            _ = try await state.subscribe(account, template: "speech", label: "speech", attributes: [:]) { _ in true }
            _ = try await state.subscribe(account, template: "sip-registration", label: "bob", attributes: [:]) { _ in true }
            let reports = Mutex<[RenewalReport]>([])
            let service = RenewalService(state: state, interval: .seconds(60)) { report in reports.withLock { $0.append(report) } }
            await service.renewOnce()
            clock.set(try Instant(parsing: "2027-01-10T00:00:00Z"))
            await service.renewOnce()
            await service.renewOnce()
            #expect(reports.withLock { $0 } == [RenewalReport(), RenewalReport(charged: 2), RenewalReport()])
            let units = try await fixture.store.serviceSubscriptions.allowances(accountID: 1, at: clock.now)
            #expect(units.map(\.periodStart) == [clock.now, clock.now])
            #expect(units.map(\.left) == [600, 5000])
            // 100 - (10 + 1 + 2) at once - (10 + 2) renewed = 75.
            #expect(try await fixture.store.ledger.balance(accountID: 1)?.balance == LedgerTotal(units: 75 * 100_000_000))
            try await UsageChargeTests.expectBalanced(fixture.store)
        }
    }
}
