import Foundation
import Testing

// MARK: - Tests

@Suite("tariff CLI")
struct CLITests {
    static let deck = """
        # test deck
        product,country,network,prefix,number_type,origin,price,currency,increment,connect_fee,effective_from,description
        voice-outbound,ES,,,,international,0.02,EUR,60/60,0,2026-01-01,Spain Fixed
        voice-outbound,ES,,,mobile,international,0.06,EUR,60/60,0,2026-01-01,Spain Mobile
        voice-outbound,ES,21407,,mobile,international,0.055,EUR,60/60,0,2026-01-01,Spain Mobile Movistar
        voice-outbound,ES,,34612,,international,0.07,EUR,1/1,0.01,2026-01-01,"Spain Mobile, Syma"
        voice-outbound,ES,,,,domestic,0.01,EUR,60/60,0,2026-01-01,Spain domestic
        sms-outbound,ES,,,,any,0.045,EUR,,,2026-01-01,Spain SMS

        """
    /// The deck plus a price change of the Syma prefix on 2026-12-01.
    static let scheduledDeck = deck + "voice-outbound,ES,,34612,,international,0.09,EUR,1/1,0.01,2026-12-01,\"Spain Mobile, Syma\"\n"

    static let ecb = """
        <?xml version="1.0" encoding="UTF-8"?>
        <gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
          <gesmes:subject>Reference rates</gesmes:subject>
          <Cube>
            <Cube time='2026-11-19'>
              <Cube currency='USD' rate='1.25'/>
              <Cube currency='GBP' rate='0.8'/>
            </Cube>
          </Cube>
        </gesmes:Envelope>

        """

    @Test("import prints the change summary and exits 0")
    func importPrintsSummary() async throws {
        try await withSandbox { sandbox in
            let path = try sandbox.write("deck.csv", Self.deck)
            let result = try await sandbox.succeed(["import", path])
            #expect(result.stdout.contains("imported \(path): 6 rows (rates)"), "\(result)")
            #expect(result.stdout.contains("changes: new 6, increased 0, decreased 0, unchanged 0, closed 0"), "\(result)")
            #expect(result.stdout.contains("deck base version 1: 6 price versions added"), "\(result)")
            #expect(FileManager.default.fileExists(atPath: sandbox.database))
        }
    }

    @Test("a bad deck exits non-zero, lists FILE:LINE: column: problem on stderr, and stores nothing")
    func badDeck() async throws {
        try await withSandbox { sandbox in
            try await sandbox.succeed(["import", try sandbox.write("deck.csv", Self.deck)])
            let decksBefore = try await sandbox.succeed(["decks", "--json"]).stdout
            let bad = try sandbox.write(
                "bad.csv",
                """
                product,country,price,currency
                voice-outbound,ES,0.03,EUR
                voice-outbound,ES,abc,EUR
                voice-outbound,QQ,0.1,EUR

                """
            )
            let result = try await sandbox.run(["import", bad])
            #expect(result.status != 0, "\(result)")
            let lines = result.stderr.split(separator: "\n").map(String.init)
            #expect(lines.contains("\(bad):3: price: 'abc' is not a decimal number"), "\(result)")
            #expect(lines.contains { $0.hasPrefix("\(bad):4: country: unknown country 'QQ'") }, "\(result)")
            let problemLines = lines.filter { $0.hasPrefix("\(bad):") && !$0.hasPrefix("\(bad): ") }
            #expect(problemLines.count == 2, "\(result)")
            for line in problemLines {
                #expect(line.wholeMatch(of: /.+:[0-9]+: [a-z_\-]+: .+/) != nil, "not FILE:LINE: column: problem: \(line)")
            }
            #expect(result.stderr.contains("nothing was imported"), "\(result)")
            #expect(!result.stdout.contains("imported"), "\(result)")

            let decksAfter = try await sandbox.succeed(["decks", "--json"]).stdout
            #expect(decksAfter == decksBefore)
            #expect(try await sandbox.succeed(["decks", "--json"]).jsonArray().count == 1)
            let price = try await sandbox.succeed(["price", "+34612345678", "--format", "json"]).json()
            #expect(price["price"] as? String == "0.07000000")
        }
    }

    @Test("import --dry-run stores nothing")
    func dryRun() async throws {
        try await withSandbox { sandbox in
            let path = try sandbox.write("deck.csv", Self.deck)
            let result = try await sandbox.succeed(["import", path, "--dry-run"])
            #expect(result.stdout.contains("dry run: would import"), "\(result)")
            #expect(result.stdout.contains("new 6"), "\(result)")
            #expect(result.stdout.contains("nothing was stored"), "\(result)")
            #expect(try await sandbox.succeed(["decks", "--json"]).jsonArray().isEmpty)
            let decks = try await sandbox.succeed(["decks"])
            #expect(decks.stdout.contains("no deck imported yet"), "\(decks)")
            let price = try await sandbox.run(["price", "+34612345678"])
            #expect(price.status != 0, "\(price)")
        }
    }

    @Test("decks lists every version")
    func decksListsVersions() async throws {
        try await withSandbox { sandbox in
            try await sandbox.succeed(["import", try sandbox.write("deck.csv", Self.deck)])
            try await sandbox.succeed([
                "import", try sandbox.write("changed.csv", Self.deck.replacingOccurrences(of: "0.07,EUR", with: "0.08,EUR")), "--allow-short-notice",
            ])
            let table = try await sandbox.succeed(["decks"])
            let lines = table.stdout.split(separator: "\n").map(String.init)
            #expect(lines.count == 3, "\(table)")
            #expect(lines.first?.hasPrefix("version") == true, "\(table)")
            #expect(lines.dropFirst().first?.hasPrefix("1 ") == true && lines.contains { $0.contains("deck.csv") }, "\(table)")
            #expect(lines.last?.hasPrefix("2 ") == true && lines.last?.contains("changed.csv") == true, "\(table)")
            #expect(lines.last?.contains("increased 1") == true, "\(table)")

            let json = try await sandbox.succeed(["decks", "--json"]).jsonArray()
            #expect(json.map { $0["version"] as? Int } == [1, 2])
            #expect(json.map { $0["rows"] as? Int } == [6, 6])
            #expect(json.map { $0["additions"] as? Int } == [6, 1])
            #expect(json.map { $0["demo"] as? Bool } == [false, false])
            #expect((json.last?["summary"] as? [String: Any])?["increased"] as? Int == 1)
        }
    }
}
