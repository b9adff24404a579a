import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TariffCore
import TariffStore
import Testing

@testable import TariffHTTP

/// The balance and history every dialect reads come from the ledger.
@Suite("Ledger reads in every dialect")
struct LedgerReadTests {
    /// Ledger entries for account 1 (EUR): a top-up, two calls, a refund; one for account 2.
    static func post(_ store: any TariffStore) async throws -> [LedgerTransaction] {
        func posting(_ account: Int64, _ type: TransactionType, _ amount: String, _ at: String, _ description: String) throws -> LedgerPosting {
            LedgerPosting(
                accountID: account,
                type: type,
                amount: try Amount(parsing: amount),
                performedAt: try Instant(parsing: at),
                description: description
            )
        }
        let outcomes = try await store.ledger.post(
            [
                try posting(1, .cardPayment, "20", "2026-11-01T09:00:00Z", "top-up"),
                try posting(1, .resourceCharge, "-0.0125", "2026-11-02T23:30:00Z", "call to +34911234567"),
                try posting(1, .resourceCharge, "-1.5", "2026-11-03T10:00:00Z", "call to +4930123456"),
                try posting(1, .refund, "0.5", "2026-11-04T10:00:00Z", "refund"),
                try posting(2, .cardPayment, "7", "2026-11-01T09:00:00Z", "another account"),
            ],
            now: try Instant(parsing: "2026-11-05T00:00:00Z")
        )
        #expect(try await store.ledger.setCreditLimit(accountID: 1, to: try Amount(parsing: "15")))
        return outcomes.compactMap(\.transaction)
    }

    @Test("Vonage get-balance answers the ledger's balance, in JSON and XML")
    func vonageBalance() async throws {
        try await HTTPFixture.with { fixture in
            _ = try await Self.post(fixture.store)
            try await fixture.test { client in
                let json = try await client.execute(uri: "/account/get-balance?api_key=k-eur&api_secret=s-eur", method: .get)
                #expect(json.text == "{\"value\":18.98750000,\"autoReload\":false}")
                let xml = try await client.execute(
                    uri: "/account/get-balance?api_key=k-eur&api_secret=s-eur",
                    method: .get,
                    headers: [.accept: "application/xml"]
                )
                #expect(xml.text.contains("<value>18.98750000</value>"), "\(xml.text)")
            }
        }
    }

    @Test("GetAccountInfo: the balance and the credit limit")
    func accountInfo() async throws {
        try await HTTPFixture.withVoximplant { fixture in
            _ = try await Self.post(fixture.store)
            try await fixture.test { client in
                let info = try #require(try await client.platform("GetAccountInfo", ["return_live_balance": "true"])["result"] as? [String: Any])
                #expect(decimalText(info["balance"]) == "18.9875")
                #expect(decimalText(info["credit_limit"]) == "15")
                #expect(info["currency"] as? String == "EUR")
            }
        }
    }

    @Test("GetTransactionHistory: the account's entries with Voximplant's fields, filtered, ordered, paged and in a time zone")
    func transactionHistory() async throws {
        try await HTTPFixture.withVoximplant { fixture in
            let entries = try await Self.post(fixture.store)
            try await fixture.test { client in
                let november = ["from_date": "2026-11-01 00:00:00", "to_date": "2026-11-30 23:59:59"]
                let all = try await client.platform("GetTransactionHistory", november)
                let rows = try #require(all["result"] as? [[String: Any]])
                #expect(all["total_count"] as? Int == 4)
                #expect(all["count"] as? Int == 4)
                #expect(all["timezone"] as? String == "Etc/GMT")
                #expect(rows.map { $0["transaction_id"] as? Int } == entries.prefix(4).map { Int($0.id) })
                let call = rows[1]
                #expect(call["account_id"] as? String == "1", "a string: a JSON number breaks the Go SDK")
                #expect(call["performed_at"] as? String == "2026-11-02 23:30:00")
                #expect(decimalText(call["amount"]) == "-0.0125")
                #expect(call["currency"] as? String == "EUR")
                #expect(call["transaction_type"] as? String == "resource_charge")
                #expect(call["transaction_description"] as? String == "call to +34911234567")

                let charges = try await client.platform(
                    "GetTransactionHistory",
                    november.merging(["transaction_type": "resource_charge;gift"]) { $1 }
                )
                #expect((charges["result"] as? [[String: Any]])?.count == 2)
                let gifts = try await client.platform("GetTransactionHistory", november.merging(["transaction_type": "gift"]) { $1 })
                #expect(gifts["total_count"] as? Int == 0)
                let byID = try await client.platform(
                    "GetTransactionHistory",
                    november.merging(["transaction_id": "\(entries[2].id);\(entries[4].id)"]) { $1 }
                )
                #expect((byID["result"] as? [[String: Any]])?.map { $0["transaction_id"] as? Int } == [Int(entries[2].id)])
                let page = try await client.platform(
                    "GetTransactionHistory",
                    november.merging(["desc_order": "true", "count": "2", "offset": "1"]) { $1 }
                )
                #expect((page["result"] as? [[String: Any]])?.map { $0["transaction_type"] as? String } == ["resource_charge", "resource_charge"])
                #expect(page["total_count"] as? Int == 4)
                #expect(page["count"] as? Int == 2)

                // The window is inclusive and read in the time zone asked for: Madrid is UTC+1 in
                // November, so 2026-11-03 00:00–23:59 there is 2026-11-02 23:00 to 2026-11-03 22:59 UTC.
                let madrid = try await client.platform(
                    "GetTransactionHistory",
                    ["from_date": "2026-11-03 00:00:00", "to_date": "2026-11-03 23:59:59", "timezone": "Europe/Madrid"]
                )
                let local = try #require(madrid["result"] as? [[String: Any]])
                #expect(local.map { $0["performed_at"] as? String } == ["2026-11-03 00:30:00", "2026-11-03 11:00:00"])
                #expect(madrid["timezone"] as? String == "Europe/Madrid")
                let exact = try await client.platform(
                    "GetTransactionHistory",
                    ["from_date": "2026-11-02 23:30:00", "to_date": "2026-11-02 23:30:00"]
                )
                #expect(exact["total_count"] as? Int == 1)

                let badZone = try await client.platform("GetTransactionHistory", november.merging(["timezone": "Mars/Olympus"]) { $1 })
                #expect(platformError(badZone)?.code == 101)
                let manyIDs = (1...1001).map(String.init).joined(separator: ";")
                let tooMany = try await client.platform("GetTransactionHistory", november.merging(["transaction_id": manyIDs]) { $1 })
                #expect(platformError(tooMany)?.code == 101)
                let usd = try await client.platform("GetTransactionHistory", november, account: (2, "s-usd"))
                #expect(usd["total_count"] as? Int == 1)
            }
        }
    }

    @Test("native: GET /v1/balance, /v1/transactions (filters, cursor pages, CSV) and /v1/transactions/{id}")
    func native() async throws {
        try await HTTPFixture.with { fixture in
            let entries = try await Self.post(fixture.store)
            try await fixture.test { client in
                let eur = basic("k-eur", "s-eur")
                let balance = try await client.execute(uri: "/v1/balance", method: .get, headers: eur).json()
                #expect(balance["balance"] as? String == "18.98750000")
                #expect(balance["credit_limit"] as? String == "15.00000000")
                #expect(balance["available"] as? String == "33.98750000")
                #expect(balance["currency"] as? String == "EUR")
                #expect(try await client.execute(uri: "/v1/balance", method: .get).status == .unauthorized)
                #expect(try await client.execute(uri: "/v1/balance", method: .get, headers: basic("k-eur", "nope")).status == .unauthorized)

                // Two at a time, following the cursor to the end.
                var ids: [Int] = []
                var cursor: String?
                var pages = 0
                repeat {
                    let uri = "/v1/transactions?limit=2" + (cursor.map { "&cursor=\($0)" } ?? "")
                    let page = try await client.execute(uri: uri, method: .get, headers: eur).json()
                    #expect(page["total_count"] as? Int == 4)
                    ids += (page["transactions"] as? [[String: Any]])?.compactMap { $0["id"] as? Int } ?? []
                    cursor = page["next_cursor"] as? String
                    pages += 1
                } while cursor != nil && pages < 10
                #expect(ids == entries.prefix(4).map { Int($0.id) })

                let charges = try await client.execute(
                    uri: "/v1/transactions?type=resource_charge&order=desc&from=2026-11-03T00:00:00Z",
                    method: .get,
                    headers: eur
                ).json()
                let rows = try #require(charges["transactions"] as? [[String: Any]])
                #expect(rows.map { $0["amount"] as? String } == ["-1.50000000"])
                #expect(rows.first?["balance_after"] as? String == "18.48750000")
                #expect(rows.first?["performed_at"] as? String == "2026-11-03T10:00:00Z")

                var csvHeaders = eur
                csvHeaders[.accept] = "text/csv"
                let csv = try await client.execute(uri: "/v1/transactions", method: .get, headers: csvHeaders)
                #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
                let lines = csv.text.split(separator: "\n")
                #expect(lines.count == 5)
                #expect(lines.first == "id,account_id,performed_at,type,amount,currency,balance_after,reference,description")
                #expect(lines[2].contains(",resource_charge,-0.01250000,EUR,19.98750000,"), "\(lines[2])")
                // The next page's link keeps the filters and the order: only the cursor changes.
                let paged = try await client.execute(
                    uri: "/v1/transactions?order=desc&limit=2&cursor=999999&type=card_payment,resource_charge",
                    method: .get,
                    headers: csvHeaders
                )
                let next = try #require(paged.headers[HTTPField.Name("Link")!], "\(paged.text)")
                let lastID = try #require(paged.text.split(separator: "\n").last?.split(separator: ",").first)
                #expect(next == "<?order=desc&limit=2&type=card_payment,resource_charge&cursor=\(lastID)>; rel=\"next\"")

                let one = try await client.execute(uri: "/v1/transactions/\(entries[0].id)", method: .get, headers: eur).json()
                #expect(one["type"] as? String == "card_payment")
                // Another account's entry, and ids that are not ids, are not found.
                for id in ["\(entries[4].id)", "0", "-1", "abc", "99999999999999999999"] {
                    let response = try await client.execute(uri: "/v1/transactions/\(id)", method: .get, headers: eur)
                    #expect(response.status == .notFound, "\(id)")
                }
                for query in ["limit=0", "limit=1001", "limit=x", "cursor=-1", "order=up", "type=gift", "from=yesterday"] {
                    let response = try await client.execute(uri: "/v1/transactions?\(query)", method: .get, headers: eur)
                    #expect(response.status == .badRequest, "\(query)")
                    #expect(response.headers[.contentType] == "application/problem+json", "\(query)")
                }
            }
        }
    }
}
