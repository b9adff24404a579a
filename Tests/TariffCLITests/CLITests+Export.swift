import Foundation
import Testing

extension CLITests {
    @Test("export re-imports to the same prices, and into the same database as all unchanged")
    func exportRoundTrip() async throws {
        try await withSandbox { sandbox in
            try await sandbox.succeed(["import", try sandbox.write("deck.csv", Self.deck)])
            let exported = sandbox.path("export.csv")
            try await sandbox.succeed(["export", "-o", exported])
            let second = sandbox.path("second.sqlite")
            let reimported = try await sandbox.succeed(["import", exported], database: second)
            #expect(reimported.stdout.contains("new 6,"), "\(reimported)")

            let questions: [[String]] = [
                ["+34612345678"], ["+34616123456"], ["+34911234567"], ["+34612345678", "--from", "ES"],
                ["+34612345678", "--product", "sms-outbound"], ["+34612345678", "--seconds", "61"],
            ]
            for question in questions {
                let original = try await sandbox.succeed(["price"] + question + ["--format", "json"]).json()
                let copy = try await sandbox.succeed(["price"] + question + ["--format", "json"], database: second).json()
                #expect(NSDictionary(dictionary: original).isEqual(to: copy), "\(question): \(original) vs \(copy)")
                #expect(copy["price"] != nil)
            }

            let again = try await sandbox.succeed(["import", exported])
            #expect(again.stdout.contains("changes: new 0, increased 0, decreased 0, unchanged 6, closed 0\n"), "\(again)")
            #expect(again.stdout.contains(": 0 price versions added"), "\(again)")
        }
    }

    @Test("export keeps scheduled changes: re-imported, they still take effect")
    func exportKeepsScheduledChanges() async throws {
        try await withSandbox { sandbox in
            try await sandbox.succeed(["import", try sandbox.write("deck.csv", Self.scheduledDeck)])
            let exported = sandbox.path("export.csv")
            try await sandbox.succeed(["export", "-o", exported])
            let again = try await sandbox.succeed(["import", exported])
            #expect(again.stdout.contains(": 0 price versions added"), "\(again)")
            let second = sandbox.path("second.sqlite")
            try await sandbox.succeed(["import", exported], database: second)
            for database in [nil, second] {
                let after = try await sandbox.succeed(["price", "+34612345678", "--at", "2026-12-01", "--format", "json"], database: database).json()
                #expect(after["price"] as? String == "0.09000000", "\(database ?? "first database")")
                let now = try await sandbox.succeed(["price", "+34612345678", "--format", "json"], database: database).json()
                #expect(now["price"] as? String == "0.07000000")
            }
        }
    }
}
