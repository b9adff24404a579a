import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import TariffCore
import TariffStore
import Testing

@testable import TariffHTTP

/// Numbers through the native API, and the renewal service charging them on an injected clock.
@Suite("Native API: numbers")
struct NativeNumbersTests {
    static func post(_ client: some TestClientProtocol, _ json: String, headers: HTTPFields = UsageChargeTests.eur) async throws -> TestResponse {
        try await client.execute(uri: "/v1/numbers", method: .post, headers: headers, body: ByteBuffer(string: json))
    }

    @Test("rent by kind or by number, list, give back; refusals change nothing")
    func rentListCancel() async throws {
        try await HTTPFixture.withVoximplant { fixture in
            try await VoximplantRentalTests.stock(fixture.store)
            try await fixture.test { client in
                let available = try await client.execute(
                    uri: "/v1/numbers/available?country=MX&category=geographic",
                    method: .get,
                    headers: UsageChargeTests.eur
                )
                #expect(try available.json()["total_count"] as? Int == 3)
                let rented = try await Self.post(client, #"{"country":"MX","category":"GEOGRAPHIC","region":"55","count":2}"#)
                #expect(rented.status == .created, "\(rented.text)")
                let body = try rented.json()
                let subscriptions = try #require(body["subscriptions"] as? [[String: Any]])
                #expect(subscriptions.map { $0["number"] as? String } == ["+525512345678", "+525512345679"])
                #expect(subscriptions.first?["monthly_fee"] as? String == "6.00000000")
                #expect(
                    (body["transactions"] as? [[String: Any]])?.map { $0["amount"] as? String } == [
                        "-12.00000000", "-6.00000000", "-12.00000000", "-6.00000000",
                    ]
                )

                // Each fee explains itself: the subscription price row, its version, the fee, the amount.
                let fees = try #require(body["transactions"] as? [[String: Any]]).compactMap { $0["explanation"] as? [String: Any] }
                #expect(fees.map { $0["unit"] as? String } == ["installation", "months", "installation", "months"])
                #expect(fees.first?["row"] as? String == "MX GEOGRAPHIC region 55")
                #expect(fees.first?["price"] as? String == "12.00000000" && fees.first?["price_currency"] as? String == "EUR")
                #expect(fees.last?["amount"] as? String == "6.00000000" && fees.last?["to"] as? String == "+525512345679")
                #expect((fees.first?["deck_version"] as? Int ?? 0) > 0)

                let statuses: [(String, HTTPFields, HTTPResponse.Status)] = [
                    (#"{"number":"+525512345678"}"#, UsageChargeTests.eur, .conflict),
                    (#"{"country":"MX","category":"GEOGRAPHIC","region":"55"}"#, UsageChargeTests.eur, .conflict),
                    (#"{"number":"+528001234567"}"#, UsageChargeTests.usd, HTTPResponse.Status(code: 402)),
                    (#"{"country":"MX","category":"GEOGRAPHIC","count":0}"#, UsageChargeTests.eur, .badRequest),
                    (#"{"country":"MX","category":"GEOGRAPHIC","count":1001}"#, UsageChargeTests.eur, .badRequest),
                    (#"{"number":"+528001234567","count":1}"#, UsageChargeTests.eur, .badRequest),
                    (#"{"number":"nope"}"#, UsageChargeTests.eur, .badRequest),
                    (#"{"country":"MX"}"#, UsageChargeTests.eur, .badRequest),
                    (#"{"number":"+528001234567"}"#, basic("k-eur", "bad"), .unauthorized),
                ]
                for (json, headers, status) in statuses {
                    #expect(try await Self.post(client, json, headers: headers).status == status, "\(json)")
                }
                #expect(try await fixture.store.numbers.available(StockFilter(country: "MX")).total == 2)

                let listed = try await client.execute(uri: "/v1/numbers", method: .get, headers: UsageChargeTests.eur).json()
                #expect(listed["total_count"] as? Int == 2)
                let id = try #require(subscriptions.first?["id"] as? Int)
                #expect(try await client.execute(uri: "/v1/numbers/\(id)", method: .delete, headers: UsageChargeTests.usd).status == .notFound)
                let cancelled = try await client.execute(uri: "/v1/numbers/\(id)", method: .delete, headers: UsageChargeTests.eur)
                #expect(try cancelled.json()["state"] as? String == "cancelled")
                #expect(try cancelled.json()["next_renewal"] == nil)
                let active = try await client.execute(uri: "/v1/numbers?state=active", method: .get, headers: UsageChargeTests.eur).json()
                #expect(active["total_count"] as? Int == 1)
                #expect(try await client.execute(uri: "/v1/numbers?state=gone", method: .get, headers: UsageChargeTests.eur).status == .badRequest)
                // An empty filter is no filter.
                let unfiltered = try await client.execute(uri: "/v1/numbers?state=", method: .get, headers: UsageChargeTests.eur).json()
                #expect(unfiltered["total_count"] as? Int == 2)
            }
            try await UsageChargeTests.expectBalanced(fixture.store)
        }
    }

    @Test("the renewal service charges a period when the clock reaches it, once, and suspends what cannot be paid")
    func renewalService() async throws {
        try await HTTPFixture.withVoximplant { fixture in
            try await VoximplantRentalTests.stock(fixture.store)
            let clock = TestClock(try Instant(parsing: "2026-11-10T00:00:00Z"))
            let state = try await LiveState(store: fixture.store, logger: HTTPFixture.logger, clock: { clock.now })
            let account = try #require(try await fixture.store.accounts.account(id: 1))
            _ = try await state.rent(.numbers([try PhoneNumber(parsing: "+525512345678")]), for: account)
            let reports = Mutex<[RenewalReport]>([])
            let service = RenewalService(state: state, interval: .seconds(60)) { report in reports.withLock { $0.append(report) } }
            await service.renewOnce()
            clock.set(try Instant(parsing: "2026-12-10T00:00:00Z"))
            await service.renewOnce()
            await service.renewOnce()
            #expect(reports.withLock { $0 } == [RenewalReport(), RenewalReport(charged: 1), RenewalReport()])
            // A renewal explains itself as the rental did, for its own period.
            let renewal = try #require(
                try await fixture.store.ledger.transactions(TransactionQuery(accountID: 1, types: [.subscriptionCharge], descending: true, limit: 1))
                    .transactions.first
            )
            #expect(renewal.explanation?.occurredAt == "2026-12-10T00:00:00Z")
            #expect(renewal.explanation?.unit == "months" && renewal.explanation?.amount == "6.00000000")
            // 100 - 18 - 6 = 76 left: twelve more months take 72, the thirteenth cannot be paid.
            clock.set(try Instant(parsing: "2028-01-10T00:00:00Z"))
            await service.renewOnce()
            #expect(reports.withLock { $0.last } == RenewalReport(charged: 12, suspended: 1))
            #expect(try await fixture.store.ledger.balance(accountID: 1)?.balance == LedgerTotal(units: 4 * 100_000_000))
            try await UsageChargeTests.expectBalanced(fixture.store)
        }
    }
}

extension NativeNumbersTests {
    @Test("inbound calls are charged to the account renting the number, at the inbound rate the caller decides; others are refused")
    func inboundCharged() async throws {
        try await HTTPFixture.withVoximplant { fixture in
            _ = try await fixture.store.numbers.addToStock(
                [NewStockNumber(number: try PhoneNumber(parsing: "+5718001234567"), country: "CO", category: "TOLLFREE", regionCode: nil)],
                now: .now()
            )
            try await UsageChargeTests.topUp(fixture.store, account: 2, "100")
            let start = try Instant(parsing: "2026-11-10T00:00:00Z")
            let clock = TestClock(start)
            try await fixture.test(clock: clock) { client in
                func inbound(
                    _ id: String,
                    from: String,
                    seconds: Int,
                    at: Instant,
                    headers: HTTPFields = UsageChargeTests.usd
                ) async throws -> TestResponse {
                    try await UsageChargeTests.post(
                        client,
                        #"{"id":"\#(id)","product":"voice-inbound","to":"+5718001234567","from":"\#(from)","seconds":\#(seconds),"occurred_at":"\#(at.iso8601)"}"#,
                        headers: headers
                    )
                }
                // Not rented: nobody to charge.
                #expect(try await inbound("early", from: "+5716012345", seconds: 60, at: start).status == .unprocessableContent)
                #expect(try await Self.post(client, #"{"number":"+5718001234567"}"#, headers: UsageChargeTests.usd).status == .created)
                clock.set(start.adding(seconds: 3600))
                let call = start.adding(seconds: 600)
                let fixed = try await inbound("in-1", from: "+5716012345", seconds: 61, at: call)
                #expect(fixed.status == .created, "\(fixed.text)")
                #expect(try fixed.json()["amount"] as? String == "-0.14000000")
                let mobile = try await inbound("in-2", from: "+573001234567", seconds: 61, at: call)
                #expect(try mobile.json()["amount"] as? String == "-0.58000000", "\(mobile.text)")
                #expect((try mobile.json()["explanation"] as? [String: Any])?["product"] as? String == "voice-inbound")
                // Before the rental, or by an account that does not rent it: refused, nothing charged.
                #expect(try await inbound("in-3", from: "+5716012345", seconds: 61, at: start.adding(seconds: -60)).status == .unprocessableContent)
                #expect(
                    try await inbound("in-4", from: "+5716012345", seconds: 61, at: call, headers: UsageChargeTests.eur).status
                        == .unprocessableContent
                )
                // The batch route answers the same.
                let batch = try await UsageBatchTests.batch(
                    client,
                    #"{"id":"in-5","product":"voice-inbound","to":"+5718001234567","from":"+5716012345","seconds":61,"occurred_at":"\#(call.iso8601)"}"#
                        + "\n"
                        + #"{"id":"in-6","product":"voice-inbound","to":"+5718001234567","from":"+5716012345","seconds":61,"occurred_at":"\#(start.adding(seconds: -60).iso8601)"}"#,
                    headers: UsageChargeTests.usd
                )
                #expect(try UsageBatchTests.lines(batch).map { $0["status"] as? Int } == [201, 422])
            }
            try await UsageChargeTests.expectBalanced(fixture.store)
        }
    }
}
