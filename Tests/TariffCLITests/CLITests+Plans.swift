import Foundation
import Testing

extension CLITests {
    @Test("plan create, show, list and assign; price --plan explains the rule or the own price; usage is charged through the account's plan")
    func plans() async throws {
        try await withSandbox { sandbox in
            try await sandbox.succeed(["import", try sandbox.write("deck.csv", Self.deck)])
            let own =
                "product,country,network,number_type,origin,price,currency,increment,effective_from\n"
                + "voice-outbound,ES,21407,mobile,international,0.05,EUR,60/60,2026-01-01\n"
            try await sandbox.succeed(["import", try sandbox.write("own.csv", own), "--deck", "acme"])
            let rules = try sandbox.write("gold.csv", "product,markup_percent,markup_fixed\nvoice-outbound,10,\n,,0.001\n")
            let created = try await sandbox.succeed(["plan", "create", "gold", "--rules", rules, "--rounding", "4", "--override-deck", "acme"])
            #expect(created.stdout.hasPrefix("plan gold version "), "\(created)")
            let shown = try await sandbox.succeed(["plan", "show", "gold"]).stdout
            #expect(shown.contains("line 2: voice-outbound: +10 %") && shown.contains("line 3: every price: +0.001"), "\(shown)")
            #expect(shown.contains("rounded to 4 decimals, up") && shown.contains("own prices from deck acme"), "\(shown)")

            // Spain Fixed 0.02 + 10 % = 0.022, by the rule on line 2.
            let fixed = try await sandbox.succeed(["price", "--product", "voice-outbound", "+34911234567", "--plan", "gold", "--format", "json"])
                .json()
            #expect(fixed["price"] as? String == "0.02200000")
            let plan = try #require(fixed["plan"] as? [String: Any])
            #expect(
                plan["rule"] as? String == "voice-outbound: +10 %" && plan["rule_line"] as? Int == 2 && plan["deck_price"] as? String == "0.02000000"
            )
            // SMS takes the rule for every price: 0.045 + 0.001.
            let table = try await sandbox.succeed(["price", "--product", "sms-outbound", "+34911234567", "--plan", "gold"]).stdout
            #expect(table.contains("0.04600000 EUR per message"), "\(table)")
            #expect(table.contains("gold version 1: rule \"every price: +0.001\" (line 3): cost 0.045, +0.001 = 0.046"), "\(table)")
            // A Movistar number: the own price of deck acme, as it is.
            let movistar = try await sandbox.succeed(["price", "--product", "voice-outbound", "+34609123456", "--plan", "gold", "--format", "json"])
                .json()
            #expect(movistar["price"] as? String == "0.05000000")
            #expect((movistar["plan"] as? [String: Any])?["own_deck"] as? String == "acme")
            #expect((movistar["plan"] as? [String: Any])?["deck_price"] as? String == "0.05500000")
            let unknown = try await sandbox.run(["price", "--product", "sms-outbound", "+34911234567", "--plan", "silver"])
            #expect(unknown.status != 0 && unknown.stderr.contains("no plan 'silver'"), "\(unknown)")

            let bad = try await sandbox.run(["plan", "create", "silver", "--rules", try sandbox.write("bad.csv", "country,markup_percent\nXX,5\n")])
            #expect(bad.status != 0 && bad.stderr.contains("bad.csv:2: country"), "\(bad)")
            let noDeck = try await sandbox.run(["plan", "create", "silver", "--rules", rules, "--override-deck", "nobody"])
            #expect(noDeck.status != 0 && noDeck.stderr.contains("no deck 'nobody'"), "\(noDeck)")

            let id = String(try await createAccount(sandbox, name: "ana"))
            try await sandbox.succeed(["account", "credit", id, "1"])
            #expect(try await sandbox.succeed(["plan", "assign", "gold", "--account", id]).stdout.contains("account \(id) is on plan gold"))
            #expect(try await sandbox.succeed(["plan", "list"]).stdout.contains("gold: 1 version(s), accounts \(id)"))
            #expect(try await sandbox.run(["plan", "assign", "silver", "--account", id]).status != 0)
            let cdrs = try sandbox.write(
                "cdrs.csv",
                "id,product,to,seconds,occurred_at\nc1,voice,+34911234567,61,2026-11-20T00:00:00Z\n"
            )
            // Two minutes at 0.022.
            let charged = try await sandbox.succeed(["usage", "import", cdrs, "--account", id])
            #expect(charged.stdout.contains("1 charged (0.044)"), "\(charged)")
            // Revenue 0.044 against the deck's 0.04: a margin of 0.004, 9.09 %.
            let margin = try await sandbox.succeed(["report", "margin", "--by", "country", "--format", "csv"]).stdout
            #expect(
                margin == "key,currency,charges,revenue,cost,margin,margin_percent\nES,EUR,1,0.04400000,0.04000000,0.00400000,9.09\n"
                    + "total,EUR,1,0.04400000,0.04000000,0.00400000,9.09\n",
                "\(margin)"
            )
            let later = try await sandbox.succeed(["report", "margin", "--from", "2026-11-21"]).stdout
            #expect(later.contains("no charges priced through a price plan"), "\(later)")
            #expect(try await sandbox.run(["report", "margin", "--by", "plan"]).status != 0)
            #expect(try await sandbox.succeed(["plan", "assign", "--none", "--account", id]).stdout.contains("on no plan"))
            #expect(try await sandbox.succeed(["plan", "list"]).stdout.contains("gold: 1 version(s), accounts none"))
        }
    }
}
