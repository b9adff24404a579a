import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import TariffCore
import Testing

@testable import TariffHTTP

/// `POST /v1/prices:bulk`: a list of numbers priced in the account's currency, one answer line
/// per number, as `GET /v1/prices/{product}` prices each one.
@Suite("Bulk pricing over HTTP")
struct BulkPriceTests {
    static let numbers = ["+34606123456", "34911234567", "not a number", "+4930123456", "+352 621 123 456"]

    static func bulk(
        _ client: some TestClientProtocol,
        _ body: String,
        query: String = "product=sms",
        headers: HTTPFields = basic("k-usd", "s-usd")
    ) async throws -> TestResponse {
        try await client.execute(uri: "/v1/prices:bulk?\(query)", method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    @Test("CSV in, CSV out: each number priced in the account's currency exactly as the single-number route prices it")
    func csvMatchesTheSingleRoute() async throws {
        try await HTTPFixture.with { fixture in
            try await fixture.test { client in
                var headers = basic("k-usd", "s-usd")
                headers[.contentType] = "text/csv"
                let response = try await Self.bulk(client, "number\n" + Self.numbers.joined(separator: "\n"), headers: headers)
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/csv; charset=utf-8")
                let lines = response.text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
                #expect(lines.first == BulkPricing.columns)
                #expect(lines.count == Self.numbers.count + 1)
                for (number, cells) in zip(Self.numbers, lines.dropFirst()) {
                    let encoded = number.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? number
                    let single = try await client.execute(uri: "/v1/prices/sms?to=\(encoded)", method: .get, headers: basic("k-usd", "s-usd"))
                    if single.status == .ok {
                        let body = try single.json()
                        let converted = try #require(body["converted"] as? [String: Any])
                        #expect(cells[6] == converted["price"] as? String, "\(number)")
                        #expect(cells[7] == "USD")
                        #expect(cells[2] == body["country"] as? String && cells[3] == body["number_type"] as? String)
                        #expect(cells[8].isEmpty)
                    } else {
                        #expect(cells[6].isEmpty && !cells[8].isEmpty, "\(number) has no single price, so no bulk price: \(cells)")
                    }
                }
                // 0.065 EUR at 1.17 = 0.07605 USD; 0.05 EUR = 0.0585 USD.
                #expect(lines[1][6] == "0.07605000" && lines[2][6] == "0.05850000")
            }
        }
    }

    @Test("an upload of many batches, priced on every core while the next arrives, answers as its lines one by one")
    func manyBatchesAnswerInOrder() async throws {
        let pattern = Self.numbers.joined(separator: "\n")
        let times = 1 + 5 * NativeBulkPriceController<BasicRequestContext>.gatherBytes / 2 / pattern.utf8.count
        // Over a socket, in pieces, as a client sends it; waiting only for the server's answers.
        try await ConnectionLimitTests.serve(ConnectionLimits()) { port in
            let small = try await offPool { try Self.postInPieces(pattern, port: port) }
            let big = try await offPool { try Self.postInPieces(Array(repeating: pattern, count: times).joined(separator: "\n"), port: port) }
            let lines = small.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().dropLast()  // the header, the last break
            #expect(lines.count == Self.numbers.count)
            let wanted =
                BulkPricing.columns.joined(separator: ",") + "\n"
                + Array(repeating: lines.joined(separator: "\n"), count: times).joined(separator: "\n") + "\n"
            #expect(big.count == wanted.count && big == wanted, "\(times) copies of \(Self.numbers.count) numbers")
        }
    }

    /// The answer's body to `body` posted in 100 kB writes, priced at a fixed instant: an error
    /// line names the instant, and two requests may fall on either side of a second.
    static func postInPieces(_ body: String, port: Int) throws -> String {
        let socket = try TestSocket(port: port)
        defer { socket.close() }
        let key = Data("k-usd:s-usd".utf8).base64EncodedString()
        try socket.send(
            "POST /v1/prices:bulk?product=sms&at=2026-06-01T00:00:00Z HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic \(key)\r\n"
                + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n"
        )
        let bytes = Array(body.utf8)
        for start in stride(from: 0, to: bytes.count, by: 100_000) {
            try socket.send(String(decoding: bytes[start..<min(bytes.count, start + 100_000)], as: UTF8.self))
        }
        let answer = try socket.receiveUntilClosed()
        guard let split = answer.range(of: "\r\n\r\n"), answer.hasPrefix("HTTP/1.1 200 OK"),
            answer[..<split.lowerBound].lowercased().contains("transfer-encoding: chunked")
        else { throw POSIXError(.EBADMSG) }
        return try dechunked(String(answer[split.upperBound...]))
    }

    /// A chunked body's bytes.
    static func dechunked(_ text: String) throws -> String {
        let bytes = Array(text.utf8)
        var body: [UInt8] = []
        var position = 0
        while let end = TestSocket.find(Array("\r\n".utf8), in: Array(bytes[position...])).map({ $0 + position }) {
            let size = try #require(Int(String(decoding: bytes[position..<end], as: UTF8.self), radix: 16))
            if size == 0 { break }
            guard end + 2 + size <= bytes.count else { throw POSIXError(.EBADMSG) }
            body += bytes[(end + 2)..<(end + 2 + size)]
            position = end + 2 + size + 2
        }
        return String(decoding: body, as: UTF8.self)
    }

    @Test("NDJSON in, NDJSON out, the summary last; summary=only answers the summary alone")
    func ndjsonAndSummary() async throws {
        try await HTTPFixture.with { fixture in
            try await fixture.test { client in
                let body = Self.numbers.map { #"{"number":"\#($0)"}"# }.joined(separator: "\n")
                let response = try await Self.bulk(client, body, headers: basic("k-eur", "s-eur"))
                #expect(response.status == .ok)
                // An undeclared body is read as what it is; the answer is CSV unless asked otherwise.
                #expect(response.headers[.contentType] == "text/csv; charset=utf-8")
                var headers = basic("k-eur", "s-eur")
                headers[.contentType] = "application/x-ndjson"
                let lines = try await Self.bulk(client, body, headers: headers).text.split(separator: "\n").map {
                    try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
                }
                #expect(lines.count == Self.numbers.count + 1)
                #expect(lines[0]["price"] as? String == "0.06500000" && lines[0]["currency"] as? String == "EUR")
                #expect(lines[2]["error"] as? String != nil && lines[2]["e164"] == nil)
                let summary = try #require(lines.last?["summary"] as? [String: Any])
                #expect(summary["count"] as? Int == 5 && summary["priced"] as? Int == 3 && summary["unpriced"] as? Int == 2)
                // 0.065 + 0.05 + 0.011, by hand.
                #expect((summary["totals"] as? [[String: Any]])?.first?["total"] as? String == "0.126")
                let only = try await Self.bulk(client, body, query: "product=sms&summary=only", headers: headers)
                #expect(only.headers[.contentType] == "application/json")
                let onlyBody = try only.json()
                #expect(onlyBody["count"] as? Int == 5)
                #expect((onlyBody["unpriced_numbers"] as? [[String: Any]])?.map { $0["line"] as? Int } == [3, 4])
                // Accept decides the answer's format.
                headers[.accept] = "text/csv"
                #expect(try await Self.bulk(client, body, headers: headers).text.hasPrefix("number,e164,"))
            }
        }
    }

    @Test("refused: no credentials, no or unknown product, a bad origin, instant or summary")
    func refusals() async throws {
        try await HTTPFixture.with { fixture in
            try await fixture.test { client in
                #expect(try await Self.bulk(client, "+34606123456", headers: [:]).status == .unauthorized)
                for query in ["", "product=fax", "product=tts", "product=sms&from=ZZ", "product=sms&at=yesterday", "product=sms&summary=yes"] {
                    let response = try await Self.bulk(client, "+34606123456", query: query)
                    #expect(response.status == .badRequest, "\(query): \(response.text)")
                    #expect(response.headers[.contentType] == "application/problem+json")
                }
            }
        }
    }
}
