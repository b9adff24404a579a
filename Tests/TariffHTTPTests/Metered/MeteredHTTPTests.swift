import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import TariffCore
import TariffStore
import Testing

@testable import TariffHTTP

/// Metered products through every door: Voximplant's GetResourcePrice, the native price
/// route and the usage API.
@Suite("Metered products over HTTP")
struct MeteredHTTPTests {
    static func groups(_ body: [String: Any], _ index: Int = 0) -> [[String: Any]] {
        ((body["result"] as? [[String: Any]])?[index]["price_groups"] as? [[String: Any]]) ?? []
    }

    static func use(_ id: String, _ product: String, units: Int, variant: String? = nil, country: String? = nil) -> String {
        var fields = [#""id":"\#(id)""#, #""product":"\#(product)""#, #""units":\#(units)"#, #""occurred_at":"2026-11-20T10:00:00Z""#]
        if let variant { fields.append(#""variant":"\#(variant)""#) }
        if let country { fields.append(#""country":"\#(country)""#) }
        return "{" + fields.joined(separator: ",") + "}"
    }

    @Test("GetResourcePrice lists them under their own resource types: price per num_resources_per_price units, quantum, variant")
    func resourcePrice() async throws {
        try await HTTPFixture.withMetered { fixture in
            try await fixture.test { client in
                let both = try await client.platform("GetResourcePrice", ["resource_type": "TTS_TEXT_GOOGLE;ASR"])
                #expect((both["result"] as? [[String: Any]])?.map { $0["resource_type"] as? String } == ["TTS_TEXT_GOOGLE", "ASR"])
                let synthesis = Self.groups(both, 0)
                #expect(synthesis.map { $0["price_group_name"] as? String } == ["Synthesis", "Synthesis neural"])
                // USD prices in a EUR account, at 1 EUR = 1.17 USD.
                #expect(decimalText(synthesis[0]["price"]) == "3.41880342")
                #expect(synthesis[0]["num_resources_per_price"] as? Int == 1_000_000)
                #expect(synthesis[0]["quantum"] as? Int == 1)
                #expect((synthesis[0]["params"] as? [String: Any])?["allowed"] as? [String] == [])
                #expect((synthesis[1]["params"] as? [String: Any])?["allowed"] as? [String] == ["neural"])
                let recognition = Self.groups(both, 1)
                #expect(recognition.map { $0["price_group_name"] as? String } == ["Recognition", "Recognition RU"])
                #expect(recognition.map { $0["country_code"] as? String } == ["", "RU"])
                #expect(decimalText(recognition[0]["price"]) == "0.016")
                #expect(recognition[0]["num_resources_per_price"] as? Int == 60)
                #expect(recognition[0]["quantum"] as? Int == 15)

                // The default resource name, and the setup fee beside the price.
                let nlu = try await client.platform("GetResourcePrice", ["resource_type": "NLU"])
                let request = try #require(Self.groups(nlu).first)
                #expect(request["price_group_name"] as? String == "nlu")
                #expect(decimalText(request["price"]) == "1.5")
                #expect(request["num_resources_per_price"] as? Int == 1000)
                #expect(decimalText(request["connect_fee"]) == "0.001")

                // Ids are distinct, stable across accounts, and filter; names filter too.
                let all = try await client.platform("GetResourcePrice")
                let ids = (all["result"] as? [[String: Any]] ?? []).flatMap {
                    ($0["price_groups"] as? [[String: Any]] ?? []).compactMap { $0["price_group_id"] as? Int }
                }
                #expect(Set(ids).count == ids.count)
                let usd = try await client.platform("GetResourcePrice", ["resource_type": "ASR"], account: (2, "s-usd"))
                #expect(Self.groups(usd).map { $0["price_group_id"] as? Int } == recognition.map { $0["price_group_id"] as? Int })
                #expect(decimalText(Self.groups(usd).first?["price"]) == "0.01872")
                let id = try #require(recognition[1]["price_group_id"] as? Int)
                let byID = try await client.platform("GetResourcePrice", ["price_group_id": String(id)])
                #expect((byID["result"] as? [[String: Any]])?.count == 1)
                #expect(Self.groups(byID).map { $0["price_group_name"] as? String } == ["Recognition RU"])
                let byName = try await client.platform("GetResourcePrice", ["price_group_name": "synthesis%"])
                #expect(Self.groups(byName).count == 2)
                // A number is priced by calls and messages only: no metered group claims it.
                let number = try await client.platform("GetResourcePrice", ["resource_param": "34911234567"])
                let types = (number["result"] as? [[String: Any]])?.compactMap { $0["resource_type"] as? String } ?? []
                #expect(!types.contains("ASR") && !types.contains("TTS_TEXT_GOOGLE") && !types.isEmpty)
            }
        }
    }

    @Test("the native price route quotes units: the row chosen by variant and country, the increment, the minimum, the fee")
    func nativePrice() async throws {
        try await HTTPFixture.withMetered { fixture in
            try await fixture.test { client in
                func price(_ query: String) async throws -> TestResponse {
                    try await client.execute(uri: "/v1/prices/" + query, method: .get, headers: UsageChargeTests.eur)
                }
                let short = try await price("speech-recognition?units=16")
                #expect(short.status == .ok, "\(short.text)")
                let body = try short.json()
                #expect(body["matched_by"] as? String == "product")
                let cost = try #require(body["cost"] as? [String: Any])
                #expect(cost["billed_units"] as? Int == 30)
                #expect(cost["total"] as? String == "0.00800000")
                #expect(body["per_units"] as? Int == 60)
                #expect(body["minimum"] as? Int == 15)

                let russia = try await price("speech-recognition?units=1&country=ru").json()
                #expect(russia["matched_by"] as? String == "country")
                #expect((russia["cost"] as? [String: Any])?["billed_units"] as? Int == 15)
                #expect((russia["cost"] as? [String: Any])?["total"] as? String == "0.00250000")
                // A variant without a row of its own falls back to the product's row.
                let unknownVariant = try await price("speech-recognition?units=1&variant=whisper").json()
                #expect(unknownVariant["matched_by"] as? String == "product")

                let neural = try await price("speech-synthesis?units=2500&variant=neural").json()
                #expect(neural["matched_by"] as? String == "variant")
                #expect((neural["cost"] as? [String: Any])?["total"] as? String == "0.04000000")
                #expect((neural["converted"] as? [String: Any])?["total"] as? String == "0.03418803")

                let requests = try await price("nlu?units=3").json()
                #expect((requests["cost"] as? [String: Any])?["total"] as? String == "0.00550000")
                let none = try await price("nlu?units=0").json()
                #expect((none["cost"] as? [String: Any])?["total"] as? String == "0.00000000")

                for bad in [
                    "speech-recognition?units=-1", "speech-recognition?units=1000000001", "speech-recognition?units=1e3",
                    "speech-recognition?units=5&to=%2B34911234567", "speech-recognition?units=5&seconds=5",
                    "speech-recognition?units=5&variant=a%20b", "speech-recognition?units=5&country=XX",
                    "speech-recognition?at=yesterday",
                ] {
                    let response = try await price(bad)
                    #expect(response.status == .badRequest, "\(bad): \(response.text)")
                }
                #expect(try await price("speech-sorcery?units=1").status == .notFound)
                #expect(try await price("speech-recognition?units=1&at=2025-01-01T00:00:00Z").status == .notFound)
            }
        }
    }

    @Test("usage of a metered product is charged once at its row, converted, and explains the units it billed")
    func usageCharged() async throws {
        try await HTTPFixture.withMetered { fixture in
            try await UsageChargeTests.topUp(fixture.store, account: 1, "10")
            try await fixture.test { client in
                let first = try await UsageChargeTests.post(client, Self.use("asr-1", "speech-recognition", units: 16))
                #expect(first.status == .created, "\(first.text)")
                let body = try first.json()
                #expect(body["amount"] as? String == "-0.00800000")
                #expect(body["description"] as? String == "speech-recognition, 16 seconds")
                let why = try #require(body["explanation"] as? [String: Any])
                #expect(why["product"] as? String == "speech-recognition")
                #expect(why["to"] == nil)
                #expect(why["quantity"] as? Int == 16)
                #expect(why["unit"] as? String == "second")
                #expect(why["billed_units"] as? Int == 30)
                #expect(why["per_units"] as? Int == 60)
                #expect(why["minimum"] as? Int == 15)
                #expect(why["increment"] as? String == "15/15")
                #expect(why["list"] as? String == "metered")

                #expect(try await UsageChargeTests.post(client, Self.use("asr-1", "speech-recognition", units: 16)).status == .ok)
                #expect(try await UsageChargeTests.post(client, Self.use("asr-1", "speech-recognition", units: 17)).status == .conflict)
                // The variant is part of the record: the same id for another variant is a conflict.
                #expect(try await UsageChargeTests.post(client, Self.use("asr-1", "speech-recognition", units: 16, variant: "x")).status == .conflict)

                let converted = try await UsageChargeTests.post(client, Self.use("tts-1", "speech-synthesis", units: 2500, variant: "neural"))
                #expect(converted.status == .created, "\(converted.text)")
                let tts = try converted.json()
                #expect(tts["amount"] as? String == "-0.03418803")
                let ttsWhy = try #require(tts["explanation"] as? [String: Any])
                #expect(ttsWhy["variant"] as? String == "neural")
                #expect(ttsWhy["matched_by"] as? String == "variant")
                #expect((ttsWhy["exchange_rates"] as? [Any])?.count == 1)
                // Read back from the ledger: the same explanation.
                let stored = try await client.execute(uri: "/v1/transactions/\(tts["id"] as? Int ?? 0)", method: .get, headers: UsageChargeTests.eur)
                let storedWhy = try #require(try stored.json()["explanation"] as? [String: Any])
                #expect(storedWhy["billed_units"] as? Int == 2500)
                #expect(storedWhy["variant"] as? String == "neural")
                #expect(storedWhy["per_units"] as? Int == 1_000_000)

                let refusals: [(String, HTTPResponse.Status)] = [
                    (#"{"id":"r1","product":"speech-recognition","occurred_at":"2026-11-20T10:00:00Z"}"#, .badRequest),
                    (Self.use("r2", "speech-recognition", units: -1), .badRequest),
                    (Self.use("r3", "speech-recognition", units: 1_000_000_001), .badRequest),
                    (Self.use("r4", "speech-recognition", units: 5, country: "RUS"), .badRequest),
                    (Self.use("r5", "speech-recognition", units: 5, variant: "a b"), .badRequest),
                    (Self.use("r6", "speech-sorcery", units: 5), .unprocessableContent),
                    (#"{"id":"r7","product":"speech-recognition","units":5,"to":"+34911234567","occurred_at":"2026-11-20T10:00:00Z"}"#, .badRequest),
                    (#"{"id":"r8","product":"voice","units":5,"to":"+34911234567","seconds":5,"occurred_at":"2026-11-20T10:00:00Z"}"#, .badRequest),
                    (#"{"id":"r9","product":"Speech-Recognition","units":5,"occurred_at":"2026-11-20T10:00:00Z"}"#, .badRequest),
                    (
                        Self.use("r10", "speech-recognition", units: 5).replacingOccurrences(of: "2026-11-20", with: "2025-06-01"),
                        .unprocessableContent
                    ),
                ]
                for (record, status) in refusals {
                    let response = try await UsageChargeTests.post(client, record)
                    #expect(response.status == status, "\(record): \(response.text)")
                }
            }
            try await UsageChargeTests.expectBalanced(fixture.store)
            let page = try await fixture.store.ledger.transactions(TransactionQuery(accountID: 1, limit: 100))
            #expect(page.transactions.filter { $0.type == .resourceCharge }.count == 2)
        }
    }

    @Test("a batch mixes calls and metered products; each record is answered as the single route would")
    func batch() async throws {
        try await HTTPFixture.withMetered { fixture in
            try await UsageChargeTests.topUp(fixture.store, account: 1, "10")
            try await fixture.test { client in
                let lines = [
                    UsageChargeTests.call(id: "b-call", seconds: 61),
                    Self.use("b-tts", "speech-synthesis", units: 1_000_000),
                    Self.use("b-bad", "speech-synthesis", units: -5),
                    Self.use("b-asr", "speech-recognition", units: 100, country: "RU"),
                ]
                let response = try await UsageBatchTests.batch(client, lines.joined(separator: "\n"))
                #expect(response.status == .ok, "\(response.text)")
                let answers = try UsageBatchTests.lines(response)
                #expect(answers.map { $0["status"] as? Int } == [201, 201, 400, 201])
                #expect(answers[0]["amount"] as? String == "-0.04000000")
                #expect(answers[1]["amount"] as? String == "-3.41880342")
                // 100 s in RU: 105 s billed at 0.01 per 60 s.
                #expect(answers[3]["amount"] as? String == "-0.01750000")
                // The batch's charge is the single route's: a retry there is the same transaction.
                let single = try await UsageChargeTests.post(client, lines[3])
                #expect(single.status == .ok)
                #expect(try single.json()["id"] as? Int == answers[3]["transaction_id"] as? Int)
            }
            try await UsageChargeTests.expectBalanced(fixture.store)
        }
    }
}
