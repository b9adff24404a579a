import Foundation
import Testing

extension CLITests {
    @Test("usage import charges a CDR file once: CSV or NDJSON, FILE:LINE for each refused record, a rerun charges nothing")
    func usageImport() async throws {
        try await withSandbox { sandbox in
            try await sandbox.succeed(["import", try sandbox.write("deck.csv", Self.deck)])
            let id = String(try await createAccount(sandbox, name: "ana"))
            try await sandbox.succeed(["account", "credit", id, "1"])
            let csv = try sandbox.write(
                "cdrs.csv",
                """
                id,product,to,from,seconds,messages,occurred_at
                c1,voice,+34911234567,,61,,2026-11-19T10:00:00Z
                c2,sms,+34612345678,,,2,2026-11-19T10:00:00Z
                c3,voice,+34911234567,,ten,,2026-11-19T10:00:00Z
                c4,voice,+34911234567,,5,,2026-12-19T10:00:00Z
                c5,voice,+15551234567,,5,,2026-11-19T10:00:00Z
                c6,voice,+34911234567,ES,5,,2026-11-19T10:00:00Z

                """
            )
            let first = try await sandbox.run(["usage", "import", csv, "--account", id])
            #expect(first.status == 1, "\(first)")
            #expect(first.stdout.contains("3 charged (0.14), 0 already charged, 3 refused"), "\(first)")
            let problems = first.stderr.split(separator: "\n").map(String.init)
            #expect(problems.contains("\(csv):4: seconds: 'ten' is not a whole number"), "\(first)")
            #expect(problems.contains("\(csv):5: occurred_at: 2026-12-19T10:00:00Z is in the future"), "\(first)")
            #expect(problems.contains { $0.hasPrefix("\(csv):6: no price for +15551234567") }, "\(first)")

            let ndjson = try sandbox.write(
                "cdrs.ndjson",
                """
                {"id":"c1","product":"voice","to":"+34911234567","seconds":61,"occurred_at":"2026-11-19T10:00:00Z"}
                {"id":"n1","product":"voice","to":"+34911234567","seconds":60,"occurred_at":"2026-11-19T11:00:00Z"}
                {"id":"c2","product":"sms","to":"+34612345678","messages":3,"occurred_at":"2026-11-19T10:00:00Z"}

                """
            )
            let second = try await sandbox.run(["usage", "import", ndjson, "--account", id, "--json"])
            #expect(second.status == 1, "\(second)")
            let summary = try second.json()
            #expect(summary["charged"] as? Int == 1)
            #expect(summary["already_charged"] as? Int == 1)
            #expect(summary["refused"] as? Int == 1)
            #expect(second.stderr.contains("\(ndjson):3: the id 'c2' was already used for a different usage record"), "\(second)")
            let rerun = try await sandbox.run(["usage", "import", csv, "--account", id])
            #expect(rerun.stdout.contains("0 charged (0), 3 already charged, 3 refused"), "\(rerun)")

            let shown = try await sandbox.succeed(["account", "show", id]).json()
            #expect(shown["balance"] as? String == "0.84000000")
            let charges = try await sandbox.succeed(["account", "transactions", id, "--format", "json", "--type", "resource_charge"]).jsonArray()
            #expect(charges.map { $0["reference"] as? String } == ["c1", "c2", "c6", "n1"])
            #expect((charges.first?["explanation"] as? [String: Any])?["billed_seconds"] as? Int == 120)

            let unknown = try await sandbox.run(["usage", "import", csv, "--account", "999"])
            #expect(unknown.status != 0 && unknown.stderr.contains("no account 999"), "\(unknown)")
            let missing = try await sandbox.run(["usage", "import", sandbox.path("nope.csv"), "--account", id])
            #expect(missing.status != 0 && missing.stderr.contains("nope.csv"), "\(missing)")
            let header = try await sandbox.run(["usage", "import", try sandbox.write("h.csv", "id,to\nx,+34911234567\n"), "--account", id])
            #expect(header.status != 0 && header.stderr.contains("h.csv:1: the header has no product"), "\(header)")
        }
    }
}

extension CLITests {
    @Test("import --kind inventory: numbers to rent out, all or none with FILE:LINE, idempotent; numbers stock and list read them")
    func inventoryImport() async throws {
        try await withSandbox { sandbox in
            let good = try sandbox.write(
                "stock.csv",
                "number,country,category,region\n+34910000001,ES,GEOGRAPHIC,91\n34910000002,es,geographic,91\n+34600000001,ES,MOBILE,\n"
            )
            let first = try await sandbox.succeed(["import", good, "--kind", "inventory"])
            #expect(first.stdout.contains("3 numbers (3 new in stock, 0 already there)"), "\(first)")
            let again = try await sandbox.succeed(["import", good, "--kind", "inventory"])
            #expect(again.stdout.contains("3 numbers (0 new in stock, 3 already there)"), "\(again)")
            let bad = try sandbox.write(
                "bad.csv",
                "number,country,category,region\n+34910000009,ES,GEOGRAPHIC,91\n+15551234567,ES,GEOGRAPHIC,\n+34910000009,ES,GEOGRAPHIC,x\n,ES,MOBILE,\n"
            )
            let refused = try await sandbox.run(["import", bad, "--kind", "inventory"])
            #expect(refused.status == 1, "\(refused)")
            let lines = refused.stderr.split(separator: "\n").map(String.init)
            #expect(lines.contains("\(bad):3: number: +15551234567 is a number of US, not ES"), "\(refused)")
            #expect(lines.contains("\(bad):4: region: 'x' is not a region code (digits of the area code)"), "\(refused)")
            #expect(lines.contains("\(bad):4: number: duplicate of line 2"), "\(refused)")
            #expect(lines.contains("\(bad):5: number: missing value"), "\(refused)")
            let stock = try await sandbox.succeed(["numbers", "stock", "--json"]).jsonArray()
            #expect(stock.map { $0["available"] as? Int } == [2, 1])
            #expect(try await sandbox.succeed(["numbers", "list"]).stdout.contains("no rented numbers"))
        }
    }
}
