import Foundation
import Testing

extension CLITests {
    @Test("price --format json explains the price")
    func priceJSON() async throws {
        try await withSandbox { sandbox in
            try await sandbox.succeed(["import", try sandbox.write("deck.csv", Self.deck)])
            let syma = try await sandbox.succeed(["price", "+34612345678", "--format", "json"]).json()
            #expect(syma["price"] as? String == "0.07000000")
            #expect(syma["currency"] as? String == "EUR")
            #expect(syma["list"] as? String == "international")
            #expect(syma["matched_by"] as? String == "longest matching prefix 34612")
            #expect(syma["matched_range"] as? String == "34612")
            #expect(syma["country"] as? String == "ES")
            #expect(syma["number"] as? String == "+34612345678")
            #expect(syma["increment"] as? String == "1/1")
            #expect(syma["connect_fee"] as? String == "0.01000000")
            #expect(syma["description"] as? String == "Spain Mobile, Syma")
            #expect(syma["deck_version"] as? Int == 1)
            #expect((syma["network"] as? [String: Any])?["mccmnc"] as? String == "21413")

            let movistar = try await sandbox.succeed(["price", "+34 616 12 34 56", "--format", "json"]).json()
            #expect(movistar["price"] as? String == "0.05500000")
            #expect(movistar["matched_by"] as? String == "network 21407 (Movistar)")
            #expect(movistar["list"] as? String == "international")

            let sms = try await sandbox.succeed(["price", "+34612345678", "--product", "sms-outbound", "--format", "json"]).json()
            #expect(sms["price"] as? String == "0.04500000")
            #expect(sms["list"] as? String == "any")
            #expect(sms["matched_by"] as? String == "country default for ES")
        }
    }

    @Test("price --from ES takes the domestic list, --from US the international one")
    func priceFromOrigin() async throws {
        try await withSandbox { sandbox in
            try await sandbox.succeed(["import", try sandbox.write("deck.csv", Self.deck)])
            let domestic = try await sandbox.succeed(["price", "+34612345678", "--from", "ES", "--format", "json"]).json()
            #expect(domestic["list"] as? String == "domestic")
            #expect(domestic["price"] as? String == "0.01000000")
            #expect(domestic["resource"] as? String == "PSTN_OUT_INCOUNTRY")
            let fromSpanishNumber = try await sandbox.succeed(["price", "+34612345678", "--from", "+34911234567", "--format", "json"]).json()
            #expect(fromSpanishNumber["list"] as? String == "domestic")
            let international = try await sandbox.succeed(["price", "+34612345678", "--from", "US", "--format", "json"]).json()
            #expect(international["list"] as? String == "international")
            #expect(international["price"] as? String == "0.07000000")
        }
    }

    @Test("price --seconds prints the exact cost of the call")
    func priceSeconds() async throws {
        try await withSandbox { sandbox in
            try await sandbox.succeed(["import", try sandbox.write("deck.csv", Self.deck)])
            // 0.07 per minute, 1/1 billing: 61 s = 0.0711666… rounded up, plus the 0.01 connect fee.
            let table = try await sandbox.succeed(["price", "+34612345678", "--seconds", "61"])
            #expect(table.stdout.contains("61 s call (billed 61 s): 0.08116667 EUR (usage 0.07116667 + connect fee 0.01000000)"), "\(table)")
            let json = try await sandbox.succeed(["price", "+34612345678", "--seconds", "61", "--format", "json"]).json()
            let cost = try #require(json["cost"] as? [String: Any])
            #expect(cost["total"] as? String == "0.08116667")
            #expect(cost["billed_seconds"] as? Int == 61)
            #expect(cost["currency"] as? String == "EUR")
            // 60/60 billing: 61 s is billed as two minutes.
            let domestic = try await sandbox.succeed(["price", "+34612345678", "--from", "ES", "--seconds", "61", "--format", "json"]).json()
            let domesticCost = try #require(domestic["cost"] as? [String: Any])
            #expect(domesticCost["billed_seconds"] as? Int == 120)
            #expect(domesticCost["total"] as? String == "0.02000000")
        }
    }

    @Test("price --at answers before and after a scheduled change")
    func priceAt() async throws {
        try await withSandbox { sandbox in
            let imported = try await sandbox.succeed(["import", try sandbox.write("deck.csv", Self.scheduledDeck)])
            #expect(imported.stdout.contains("scheduled 1"), "\(imported)")
            let now = try await sandbox.succeed(["price", "+34612345678", "--format", "json"]).json()
            #expect(now["price"] as? String == "0.07000000")
            let next = try #require(now["next_change"] as? [String: Any])
            #expect(next["effective_from"] as? String == "2026-12-01T00:00:00Z")
            #expect(next["price"] as? String == "0.09000000")
            let before = try await sandbox.succeed(["price", "+34612345678", "--at", "2026-11-30T23:59:59Z", "--format", "json"]).json()
            #expect(before["price"] as? String == "0.07000000")
            let after = try await sandbox.succeed(["price", "+34612345678", "--at", "2026-12-01", "--format", "json"]).json()
            #expect(after["price"] as? String == "0.09000000")
            #expect(after["effective_from"] as? String == "2026-12-01T00:00:00Z")
            // Before the deck's first date there is no price.
            let tooEarly = try await sandbox.run(["price", "+34612345678", "--at", "2025-06-01"])
            #expect(tooEarly.status != 0)
            #expect(tooEarly.stderr.contains("no voice-outbound price for +34612345678 at 2025-06-01T00:00:00Z"), "\(tooEarly)")
        }
    }

    @Test("an invalid number exits non-zero with a clear message")
    func invalidNumber() async throws {
        try await withSandbox { sandbox in
            try await sandbox.succeed(["import", try sandbox.write("deck.csv", Self.deck)])
            let result = try await sandbox.run(["price", "+34abc"])
            #expect(result.status != 0)
            #expect(result.stderr.contains("'+34abc' is not a phone number: 'a' at position 4"), "\(result)")
            #expect(result.stdout.isEmpty, "\(result)")
        }
    }
}
