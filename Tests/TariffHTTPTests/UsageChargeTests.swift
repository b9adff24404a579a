import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import TariffCore
import TariffStore
import Testing

@testable import TariffHTTP

/// `POST /v1/usage`: rated at the price in force when it occurred, converted, charged at once,
/// once per id.
@Suite("Usage charged at once")
struct UsageChargeTests {
    static let eur = basic("k-eur", "s-eur")
    static let usd = basic("k-usd", "s-usd")

    static func topUp(_ store: any TariffStore, account: Int64, _ amount: String) async throws {
        let outcome = try await store.ledger.post(
            [
                LedgerPosting(
                    accountID: account,
                    type: .cardPayment,
                    amount: try Amount(parsing: amount),
                    performedAt: Instant(secondsSince1970: 0),
                    description: "top-up"
                )
            ],
            now: .now()
        )
        #expect(outcome.first?.transaction != nil)
    }

    static func post(_ client: some TestClientProtocol, _ json: String, headers: HTTPFields = eur) async throws -> TestResponse {
        var headers = headers
        headers[.contentType] = "application/json"
        return try await client.execute(uri: "/v1/usage", method: .post, headers: headers, body: ByteBuffer(string: json))
    }

    static func call(id: String, seconds: Int, at: String = "2026-11-20T10:00:00Z", to: String = "+34911234567") -> String {
        #"{"id":"\#(id)","product":"voice","to":"\#(to)","seconds":\#(seconds),"occurred_at":"\#(at)"}"#
    }

    /// Σ transactions = balance for both accounts.
    static func expectBalanced(_ store: any TariffStore) async throws {
        for account in [Int64(1), 2] {
            let page = try await store.ledger.transactions(TransactionQuery(accountID: account, limit: 10_000))
            var sum = LedgerTotal.zero
            for entry in page.transactions { sum = try #require(sum.adding(entry.amount)) }
            #expect(try await store.ledger.balance(accountID: account)?.balance == sum, "account \(account)")
        }
    }

    @Test("a call is rated at its row, charged once, and explains itself; a retry charges nothing, another body under its id is a 409")
    func chargeOnce() async throws {
        try await HTTPFixture.with { fixture in
            try await Self.topUp(fixture.store, account: 1, "10")
            try await fixture.test { client in
                let first = try await Self.post(client, Self.call(id: "cdr-1", seconds: 61))
                #expect(first.status == .created, "\(first.text)")
                let body = try first.json()
                #expect(body["type"] as? String == "resource_charge")
                #expect(body["amount"] as? String == "-0.04000000")
                #expect(body["currency"] as? String == "EUR")
                #expect(body["reference"] as? String == "cdr-1")
                #expect(body["performed_at"] as? String == "2026-11-20T10:00:00Z")
                #expect(body["balance_after"] as? String == "9.96000000")
                let why = try #require(body["explanation"] as? [String: Any])
                #expect(why["quantity"] as? Int == 61)
                #expect(why["unit"] as? String == "seconds")
                #expect(why["billed_seconds"] as? Int == 120)
                #expect(why["price"] as? String == "0.02000000")
                #expect(why["price_currency"] as? String == "EUR")
                #expect(why["increment"] as? String == "60/60")
                #expect(why["cost"] as? String == "0.04000000")
                #expect(why["amount"] as? String == "0.04000000")
                #expect((why["exchange_rates"] as? [Any])?.isEmpty == true)
                #expect((why["deck_version"] as? Int ?? 0) > 0)
                #expect(why["row"] as? String != nil && why["rounding"] as? String != nil)

                let retry = try await Self.post(client, Self.call(id: "cdr-1", seconds: 61))
                #expect(retry.status == .ok)
                #expect(try retry.json()["id"] as? Int == body["id"] as? Int)
                let conflict = try await Self.post(client, Self.call(id: "cdr-1", seconds: 62))
                #expect(conflict.status == .conflict)
                #expect(conflict.headers[.contentType] == "application/problem+json")
                // The same call written differently is the same record: a retry.
                let sameCall = try await Self.post(client, Self.call(id: "cdr-1", seconds: 61, at: "2026-11-20T11:00:00+01:00", to: "0034911234567"))
                #expect(sameCall.status == .ok, "\(sameCall.text)")

                let balance = try await client.execute(uri: "/v1/balance", method: .get, headers: Self.eur).json()
                #expect(balance["balance"] as? String == "9.96000000")
                let stored = try await client.execute(uri: "/v1/transactions/\(body["id"] as? Int ?? 0)", method: .get, headers: Self.eur).json()
                #expect((stored["explanation"] as? [String: Any])?["billed_seconds"] as? Int == 120)
            }
            try await Self.expectBalanced(fixture.store)
        }
    }

    @Test("converted into the account's currency at the rate in force, which the charge names with its date and source")
    func converted() async throws {
        try await HTTPFixture.with { fixture in
            try await Self.topUp(fixture.store, account: 2, "10")
            try await fixture.test { client in
                let response = try await Self.post(client, Self.call(id: "u-1", seconds: 61), headers: Self.usd)
                #expect(response.status == .created, "\(response.text)")
                let body = try response.json()
                #expect(body["amount"] as? String == "-0.04680000")
                #expect(body["currency"] as? String == "USD")
                let why = try #require(body["explanation"] as? [String: Any])
                let rates = try #require(why["exchange_rates"] as? [[String: Any]])
                #expect(rates.count == 1)
                #expect(rates.first?["date"] as? String == "2026-01-01")
                #expect(rates.first?["base"] as? String == "EUR")
                #expect(rates.first?["quote"] as? String == "USD")
                #expect(rates.first?["rate"] as? String == "1.17")
                #expect((rates.first?["source"] as? String)?.isEmpty == false)
                #expect(why["conversion_rounding"] as? String != nil)
                // Before the first exchange rate there is nothing to convert with: nothing charged.
                let early = try await Self.post(client, Self.call(id: "u-2", seconds: 61, at: "2025-06-01T00:00:00Z"), headers: Self.usd)
                #expect(early.status == .unprocessableContent, "\(early.text)")
            }
            try await Self.expectBalanced(fixture.store)
        }
    }

    @Test("what cannot be charged is refused with a reason, and charges nothing")
    func refusals() async throws {
        try await HTTPFixture.with { fixture in
            try await Self.topUp(fixture.store, account: 1, "0.03")
            try await fixture.test { client in
                let cases: [(String, HTTPResponse.Status)] = [
                    (Self.call(id: "a", seconds: 61), HTTPResponse.Status(code: 402)),  // 0.04 on a balance of 0.03
                    (Self.call(id: "b", seconds: -1), .badRequest),
                    (Self.call(id: "c", seconds: 1_000_000_001), .badRequest),
                    (Self.call(id: "d", seconds: 5, at: "2099-01-01T00:00:00Z"), .badRequest),
                    (Self.call(id: "e", seconds: 5, at: "yesterday"), .badRequest),
                    (Self.call(id: "f", seconds: 5, to: "+15551234567"), .unprocessableContent),  // no US price
                    (Self.call(id: "g", seconds: 5, to: "not a number"), .badRequest),
                    (Self.call(id: "", seconds: 5), .badRequest),
                    (Self.call(id: String(repeating: "x", count: 201), seconds: 5), .badRequest),
                    (#"{"id":"h","product":"sms","to":"+34911234567","seconds":5,"occurred_at":"2026-11-20T10:00:00Z"}"#, .badRequest),
                    (#"{"id":"i","product":"voice","to":"+34911234567","messages":1,"occurred_at":"2026-11-20T10:00:00Z"}"#, .badRequest),
                    (#"{"id":"j","product":"voice","to":"+34911234567","seconds":5,"messages":1,"occurred_at":"2026-11-20T10:00:00Z"}"#, .badRequest),
                    (
                        #"{"id":"k","product":"voice-inbound","to":"+34911234567","seconds":5,"occurred_at":"2026-11-20T10:00:00Z"}"#,
                        .unprocessableContent
                    ),
                    (#"{"id":"l","product":"fax","to":"+34911234567","seconds":5,"occurred_at":"2026-11-20T10:00:00Z"}"#, .badRequest),
                    (#"{"id":"m","product":"voice","to":"+34911234567","seconds":"5","occurred_at":"2026-11-20T10:00:00Z"}"#, .badRequest),
                    (#"{"id":"n","product":"voice","to":"+34911234567","seconds":1e30,"occurred_at":"2026-11-20T10:00:00Z"}"#, .badRequest),
                    ("not json", .badRequest),
                    (
                        #"{"id":"o","product":"voice","to":"+34911234567","seconds":5,"occurred_at":"2026-11-20T10:00:00Z","pad":"\#(String(repeating: "x", count: 20_000))"}"#,
                        .badRequest
                    ),
                ]
                for (json, status) in cases {
                    let response = try await Self.post(client, json)
                    #expect(response.status == status, "\(json.prefix(120)): \(response.text)")
                    #expect(response.headers[.contentType] == "application/problem+json", "\(json.prefix(120))")
                }
                #expect(try await Self.post(client, Self.call(id: "p", seconds: 5), headers: basic("k-eur", "wrong")).status == .unauthorized)
                // An unanswered call costs nothing and is recorded as such.
                let unanswered = try await Self.post(client, Self.call(id: "q", seconds: 0))
                #expect(unanswered.status == .created)
                #expect(try unanswered.json()["amount"] as? String == "0.00000000")
                let balance = try await client.execute(uri: "/v1/balance", method: .get, headers: Self.eur).json()
                #expect(balance["balance"] as? String == "0.03000000")
            }
            try await Self.expectBalanced(fixture.store)
        }
    }

    @Test("many clients posting the same records at once: each id is charged exactly once")
    func concurrentRetries() async throws {
        try await HTTPFixture.with { fixture in
            try await Self.topUp(fixture.store, account: 1, "100")
            try await fixture.test { client in
                try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                    for attempt in 0..<60 {
                        group.addTask { try await Self.post(client, Self.call(id: "cdr-\(attempt % 20)", seconds: 61)).status }
                    }
                    var created = 0
                    for try await status in group {
                        #expect(status == .created || status == .ok)
                        if status == .created { created += 1 }
                    }
                    #expect(created == 20)
                }
                let balance = try await client.execute(uri: "/v1/balance", method: .get, headers: Self.eur).json()
                #expect(balance["balance"] as? String == "99.20000000")
            }
            try await Self.expectBalanced(fixture.store)
        }
    }
}
