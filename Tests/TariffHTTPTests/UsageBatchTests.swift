import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import TariffCore
import TariffStore
import Testing

@testable import TariffHTTP

/// `POST /v1/usage:batch`: every record answered on its own line, in order; a bad record does
/// not stop the others; each record charged exactly as `POST /v1/usage` charges it.
@Suite("Usage charged in batches")
struct UsageBatchTests {
    static func batch(_ client: some TestClientProtocol, _ body: String, headers: HTTPFields = UsageChargeTests.eur) async throws -> TestResponse {
        try await client.execute(uri: "/v1/usage:batch", method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    static func lines(_ response: TestResponse) throws -> [[String: Any]] {
        try response.text.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not a JSON object: \(line)")
        }
    }

    @Test("NDJSON: one answer per record, in order, with the record's line; errors do not stop the others")
    func ndjson() async throws {
        try await HTTPFixture.with { fixture in
            try await UsageChargeTests.topUp(fixture.store, account: 1, "1")
            try await fixture.test { client in
                let body = [
                    UsageChargeTests.call(id: "a", seconds: 61),  // 0.04
                    "",
                    "not json",
                    UsageChargeTests.call(id: "b", seconds: 5, to: "+15551234567"),  // no price
                    UsageChargeTests.call(id: "a", seconds: 61),  // a retry in the same batch
                    UsageChargeTests.call(id: "a", seconds: 62),  // another record under a used id
                    UsageChargeTests.call(id: "c", seconds: 1_000_000_001),
                    #"{"id":"d\"\n\u2028","product":"sms","to":"+34612345678","messages":2,"occurred_at":"2026-11-20T10:00:00Z"}"#,
                    UsageChargeTests.call(id: "e", seconds: 60 * 60 * 24),  // 28.80: more than is left
                    UsageChargeTests.call(id: "f", seconds: 1),  // still fits
                ].joined(separator: "\r\n")
                let response = try await Self.batch(client, body)
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/x-ndjson")
                let answers = try Self.lines(response)
                #expect(answers.map { $0["record"] as? Int } == Array(1...9))
                #expect(answers.map { $0["line"] as? Int } == [1, 3, 4, 5, 6, 7, 8, 9, 10])
                #expect(answers.map { $0["status"] as? Int } == [201, 400, 422, 200, 409, 400, 201, 402, 201])
                #expect(answers.map { $0["id"] as? String } == ["a", nil, "b", "a", "a", "c", "d\"\n\u{2028}", "e", "f"])
                #expect(answers[0]["transaction_id"] as? Int == answers[3]["transaction_id"] as? Int)
                #expect(answers[0]["amount"] as? String == "-0.04000000")
                #expect(answers[0]["balance_after"] as? String == "0.96000000")
                #expect(answers[7]["title"] as? String == "Insufficient funds")
                let last = try #require(answers.last)
                let balance = try await client.execute(uri: "/v1/balance", method: .get, headers: UsageChargeTests.eur).json()
                #expect(balance["balance"] as? String == last["balance_after"] as? String)
            }
            try await UsageChargeTests.expectBalanced(fixture.store)
        }
    }

    @Test("a batch longer than a chunk: every record answered once, in order; a retry in a later chunk gets the first charge")
    func manyChunks() async throws {
        try await HTTPFixture.with { fixture in
            try await UsageChargeTests.topUp(fixture.store, account: 1, "1000")
            try await fixture.test { client in
                let count = NativeUsageController<BasicRequestContext>.chunkRecords * 2 + 1
                var records = (1...count).map { UsageChargeTests.call(id: "r\($0)", seconds: 1 + $0 % 120) }
                records[count - 2] = UsageChargeTests.call(id: "r3", seconds: 4)
                let answers = try Self.lines(try await Self.batch(client, records.joined(separator: "\n")))
                #expect(answers.map { $0["record"] as? Int } == Array(1...count))
                #expect(answers.filter { $0["status"] as? Int == 201 }.count == count - 1)
                #expect(answers[count - 2]["status"] as? Int == 200)
                #expect(answers[count - 2]["transaction_id"] as? Int == answers[2]["transaction_id"] as? Int)
                let ids = answers.compactMap { $0["transaction_id"] as? Int }
                #expect(Set(ids).count == count - 1)
            }
            try await UsageChargeTests.expectBalanced(fixture.store)
        }
    }

    @Test("a JSON array is cut into its records, strings with brackets and commas included; a malformed end is an error line")
    func array() async throws {
        try await HTTPFixture.with { fixture in
            try await UsageChargeTests.topUp(fixture.store, account: 1, "1")
            try await fixture.test { client in
                let tricky = #"{"id":"x,]}[{","product":"voice","to":"+34911234567","seconds":1,"occurred_at":"2026-11-20T10:00:00Z"}"#
                let answers = try Self.lines(
                    try await Self.batch(client, "[\n" + UsageChargeTests.call(id: "p", seconds: 1) + ",\n" + tricky + "\n]")
                )
                #expect(answers.map { $0["status"] as? Int } == [201, 201])
                #expect(answers.map { $0["id"] as? String } == ["p", "x,]}[{"])
                #expect(answers.map { $0["line"] as? Int } == [2, 3])
                let open = try Self.lines(try await Self.batch(client, "[" + UsageChargeTests.call(id: "q", seconds: 1) + ","))
                #expect(open.map { $0["status"] as? Int } == [201, 400])
                #expect((open.last?["detail"] as? String)?.contains("not closed") == true)
                let trailing = try Self.lines(try await Self.batch(client, "[] x"))
                #expect(trailing.map { $0["status"] as? Int } == [400])
                #expect(try Self.lines(try await Self.batch(client, "[]")).isEmpty)
                #expect(try Self.lines(try await Self.batch(client, "")).isEmpty)
            }
            try await UsageChargeTests.expectBalanced(fixture.store)
        }
    }

    @Test("the batch and the single route charge every record the same way: same status, amount and explanation")
    func sameAsSingle() async throws {
        try await HTTPFixture.with { fixture in
            try await UsageChargeTests.topUp(fixture.store, account: 2, "100")
            try await fixture.test { client in
                let records: [(String, String)] = [
                    ("voice", #""to":"+34911234567","seconds":61"#), ("voice", #""to":"+34911234567","seconds":0"#),
                    ("voice", #""to":"+34911234567","from":"ES","seconds":3599"#), ("sms", #""to":"+34612345678","messages":3"#),
                    ("voice", #""to":"+15551234567","seconds":5"#), ("voice", #""to":"+34911234567","seconds":-5"#),
                    ("sms", #""to":"+34612345678","seconds":3"#), ("voice-inbound", #""to":"+34911234567","seconds":3"#),
                ]
                func json(_ id: String, _ record: (String, String)) -> String {
                    #"{"id":"\#(id)","product":"\#(record.0)",\#(record.1),"occurred_at":"2026-11-20T10:00:00Z"}"#
                }
                let batch = try Self.lines(
                    try await Self.batch(
                        client,
                        records.enumerated().map { json("b\($0)", $1) }.joined(separator: "\n"),
                        headers: UsageChargeTests.usd
                    )
                )
                #expect(batch.count == records.count)
                for (index, record) in records.enumerated() {
                    let single = try await UsageChargeTests.post(client, json("s\(index)", record), headers: UsageChargeTests.usd)
                    #expect(Int(single.status.code) == batch[index]["status"] as? Int, "\(record)")
                    guard single.status == .created, let id = batch[index]["transaction_id"] as? Int else {
                        #expect(try single.json()["detail"] as? String == batch[index]["detail"] as? String)
                        continue
                    }
                    let viaSingle = try single.json()
                    let viaBatch = try await client.execute(uri: "/v1/transactions/\(id)", method: .get, headers: UsageChargeTests.usd).json()
                    #expect(viaSingle["amount"] as? String == viaBatch["amount"] as? String, "\(record)")
                    #expect(viaSingle["description"] as? String == viaBatch["description"] as? String)
                    let left = try #require(viaSingle["explanation"] as? [String: Any])
                    let right = try #require(viaBatch["explanation"] as? [String: Any])
                    #expect(NSDictionary(dictionary: left).isEqual(to: right), "\(record)")
                }
            }
            try await UsageChargeTests.expectBalanced(fixture.store)
        }
    }

    @Test("a batch needs the account's key; a record longer than a single usage body is an error line")
    func limits() async throws {
        try await HTTPFixture.with { fixture in
            try await UsageChargeTests.topUp(fixture.store, account: 1, "1")
            try await fixture.test { client in
                #expect(
                    try await Self.batch(client, UsageChargeTests.call(id: "a", seconds: 1), headers: basic("k-eur", "no")).status == .unauthorized
                )
                let long = #"{"id":"big","pad":""# + String(repeating: "x", count: 20_000) + #""}"#
                let answers = try Self.lines(try await Self.batch(client, long + "\n" + UsageChargeTests.call(id: "a", seconds: 1)))
                #expect(answers.map { $0["status"] as? Int } == [400, 201])
                #expect(answers.map { $0["line"] as? Int } == [1, 2])
            }
            try await UsageChargeTests.expectBalanced(fixture.store)
        }
    }
}
