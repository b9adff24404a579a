import Foundation
import Testing

extension CLITests {
    @Test("fx import, fx list, and price --currency converts")
    func exchangeRates() async throws {
        try await withSandbox { sandbox in
            try await sandbox.succeed(["import", try sandbox.write("deck.csv", Self.deck)])
            let imported = try await sandbox.succeed(["fx", "import", try sandbox.write("eurofxref.xml", Self.ecb)])
            #expect(imported.stdout.contains("imported 2 rates (ecb-xml) for 1 day(s), 2026-11-19"), "\(imported)")

            let list = try await sandbox.succeed(["fx", "list"])
            let rows = list.stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
            #expect(rows.contains(["2026-11-19", "EUR", "USD", "1.25", "ECB"]), "\(list)")
            #expect(rows.contains(["2026-11-19", "EUR", "GBP", "0.8", "ECB"]), "\(list)")

            let json = try await sandbox.succeed(["price", "+34612345678", "--currency", "USD", "--seconds", "61", "--format", "json"]).json()
            #expect(json["price"] as? String == "0.07000000")
            let converted = try #require(json["converted"] as? [String: Any])
            #expect(converted["currency"] as? String == "USD")
            #expect(converted["price"] as? String == "0.08750000")
            #expect(converted["rate"] as? String == "1.25")
            #expect(converted["total"] as? String == "0.10145834")

            let missing = try await sandbox.run(["price", "+34612345678", "--currency", "JPY"])
            #expect(missing.status != 0, "\(missing)")
            #expect(missing.stderr.contains("no exchange rate from EUR to JPY"), "\(missing)")
        }
    }
}
