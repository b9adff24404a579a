import Foundation
import Testing

extension CLITests {
    /// The deck, its Syma row changing from 0.07 to `price` EUR on `date`.
    static func symaRise(_ price: String, on date: String) -> String {
        deck + symaRow(price, on: date)
    }

    /// The Syma row alone (for `--partial`), at `price` EUR from `date`.
    static func symaChange(_ price: String, on date: String) -> String {
        "product,country,network,prefix,number_type,origin,price,currency,increment,connect_fee,effective_from,description\n"
            + symaRow(price, on: date)
    }

    static func symaRow(_ price: String, on date: String) -> String {
        "voice-outbound,ES,,34612,,international,\(price),EUR,1/1,0.01,\(date),\"Spain Mobile, Syma\"\n"
    }

    @Test("import refuses a rise with less than 7 days' notice (or --minimum-notice), naming the row, unless --allow-short-notice")
    func importNoticeRule() async throws {
        try await withSandbox { sandbox in
            try await sandbox.succeed(["import", try sandbox.write("deck.csv", Self.deck)])
            // The sandbox's clock is 2026-11-20: a rise 3 days later is too soon.
            let soon = try sandbox.write("soon.csv", Self.symaRise("0.09", on: "2026-11-23"))
            let refused = try await sandbox.run(["import", soon])
            #expect(refused.status != 0)
            #expect(
                refused.stderr.contains("soon.csv:9: effective_from: raises 0.07 to 0.09 EUR from 2026-11-23T00:00:00Z, in 3 days"),
                "\(refused.stderr)"
            )
            #expect(try await sandbox.succeed(["decks", "--json"]).jsonArray().count == 1)
            #expect(try await sandbox.run(["import", soon, "--minimum-notice", "2"]).status == 0)
            #expect(try await sandbox.succeed(["decks", "--json"]).jsonArray().count == 2)

            // A fall needs no notice; a rise 8 days ahead passes; --allow-short-notice lets any through.
            try await sandbox.succeed(["import", try sandbox.write("fall.csv", Self.symaChange("0.05", on: "2026-11-21")), "--partial"])
            let later = try await sandbox.succeed([
                "import", try sandbox.write("later.csv", Self.symaChange("0.08", on: "2026-11-28")), "--partial", "--json",
            ]).json()
            #expect((later["summary"] as? [String: Any])?["increases_by_date"] as? [String: Int] == ["2026-11-28": 1])
            // The complete deck again states 0.07 until then: a rise from 0.05 tomorrow, refused.
            let back = try await sandbox.run(["import", try sandbox.write("back.csv", Self.deck)])
            #expect(back.status != 0 && back.stderr.contains("back.csv:6: effective_from: raises 0.05 to 0.07 EUR"), "\(back.stderr)")
            try await sandbox.succeed([
                "import", try sandbox.write("now.csv", Self.symaChange("0.10", on: "2026-11-20")), "--partial", "--allow-short-notice",
            ])
            #expect(try await sandbox.run(["import", soon, "--minimum-notice", "3651"]).status != 0)
        }
    }

    @Test("changes lists what imports changed, by date, as the price route prices it before and after")
    func changesCommand() async throws {
        try await withSandbox { sandbox in
            try await sandbox.succeed(["import", try sandbox.write("deck.csv", Self.deck)])
            try await sandbox.succeed(["import", try sandbox.write("rise.csv", Self.symaRise("0.09", on: "2027-01-01"))])
            let json = try await sandbox.succeed(["changes", "--since", "1", "--format", "json"]).jsonArray()
            #expect(json.count == 1)
            let change = try #require(json.first)
            #expect(change["change"] as? String == "increased" && change["effective_at"] as? String == "2027-01-01T00:00:00Z")
            // The price route, just before and at the date, says the same.
            let before = try await sandbox.succeed(["price", "+34612345678", "--at", "2026-12-31T23:59:59Z", "--format", "json"]).json()
            let after = try await sandbox.succeed(["price", "+34612345678", "--at", "2027-01-01", "--format", "json"]).json()
            #expect(change["old_price"] as? String == before["price"] as? String)
            #expect(change["new_price"] as? String == after["price"] as? String)

            #expect(try await sandbox.succeed(["changes", "--since", "0", "--format", "json"]).jsonArray().count == 7)
            #expect(try await sandbox.succeed(["changes", "--since", "2026-12-15", "--format", "json"]).jsonArray().count == 1)
            #expect(try await sandbox.succeed(["changes", "--since", "0", "--product", "sms", "--format", "json"]).jsonArray().count == 1)
            let csv = try await sandbox.succeed(["changes", "--since", "1", "--format", "csv"]).stdout
            #expect(csv.hasPrefix("product,origin,key,country,change,old_price,new_price,"))
            #expect(csv.contains(",ES,increased,0.07000000,0.09000000,,,EUR,2027-01-01T00:00:00Z,2\n"))
            let table = try await sandbox.succeed(["changes", "--since", "1"]).stdout
            #expect(table.contains("increased") && table.contains("prefix 34612"))

            try await sandbox.succeed(["fx", "import", try sandbox.write("ecb.xml", Self.ecb)])
            let usd = try await sandbox.succeed(["changes", "--since", "1", "--currency", "USD", "--format", "json"]).jsonArray()
            #expect(usd.first?["currency"] as? String == "USD")
            for arguments in [
                ["--since", "yesterday"], ["--since", "0", "--product", "fax"], ["--since", "0", "--country", "XX"],
                ["--since", "1", "--currency", "JPY"],
            ] {
                let refused = try await sandbox.run(["changes"] + arguments)
                #expect(refused.status != 0, "\(arguments)")
            }
        }
    }
}
