import Foundation
import Testing

// MARK: - Running the built `tariff`

/// What one run of `tariff` did.
struct CLIRun: CustomStringConvertible {
    let arguments: [String]
    let status: Int32
    let stdout: String
    let stderr: String

    var description: String { "tariff \(arguments.joined(separator: " ")) exited \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }

    /// Standard output parsed as a JSON object.
    func json(sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: Data(stdout.utf8))
        return try #require(value as? [String: Any], "not a JSON object: \(self)", sourceLocation: sourceLocation)
    }

    func jsonArray(sourceLocation: SourceLocation = #_sourceLocation) throws -> [[String: Any]] {
        let value = try JSONSerialization.jsonObject(with: Data(stdout.utf8))
        return try #require(value as? [[String: Any]], "not a JSON array: \(self)", sourceLocation: sourceLocation)
    }
}

enum TariffExecutable {
    /// The `tariff` built next to the test bundle (`.build/debug/tariff`).
    static func url() throws -> URL {
        var directories: [URL] = []
        if let executable = Bundle.main.executableURL { directories.append(executable.deletingLastPathComponent()) }
        directories.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        directories.append(Bundle.main.bundleURL.deletingLastPathComponent())
        // On macOS the runner sits inside NAME.xctest/Contents/MacOS: look a few levels up too.
        var candidates: [URL] = []
        for directory in directories {
            var current = directory.standardizedFileURL
            for _ in 0..<4 {
                candidates.append(current.appendingPathComponent("tariff"))
                current = current.deletingLastPathComponent()
            }
        }
        var isDirectory: ObjCBool = false
        for candidate in candidates
        where FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory) && !isDirectory.boolValue
            && FileManager.default.isExecutableFile(atPath: candidate.path) {
            return candidate
        }
        Issue.record("""
            the tariff executable was not found next to the test bundle (looked at: \
            \(candidates.map(\.path).joined(separator: ", "))): build it with `swift build --build-tests` first
            """)
        throw CLITestError.missingExecutable
    }
}

enum CLITestError: Error { case missingExecutable }

/// A fresh temporary directory with its database path, and a way to run `tariff` there.
struct CLISandbox {
    static let now = "2026-11-20T00:00:00Z"
    let directory: URL
    var database: String { directory.appendingPathComponent("t.sqlite").path }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        try Data(text.utf8).write(to: directory.appendingPathComponent(name))
        return path(name)
    }

    /// Runs `tariff arguments` with `--database <tmp>/t.sqlite` (or `database`, or none when nil)
    /// and TARIFF_NOW fixed; TARIFF_DATABASE is removed from the environment unless given.
    func run(_ arguments: [String], database: String?? = .some(nil), workingDirectory: URL? = nil,
             environment extra: [String: String] = [:]) async throws -> CLIRun {
        var arguments = arguments
        switch database {
        case .none: break
        case .some(.none): arguments += ["--database", self.database]
        case .some(.some(let other)): arguments += ["--database", other]
        }
        var environment = ProcessInfo.processInfo.environment
        environment["TARIFF_DATABASE"] = nil
        environment["TARIFF_NOW"] = Self.now
        for (name, value) in extra { environment[name] = value }

        let id = UUID().uuidString
        let outURL = directory.appendingPathComponent("stdout-\(id)")
        let errURL = directory.appendingPathComponent("stderr-\(id)")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        defer {
            try? out.close()
            try? err.close()
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }

        let process = Process()
        process.executableURL = try TariffExecutable.url()
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = workingDirectory ?? directory
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { finished in continuation.resume(returning: finished.terminationStatus) }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
        return CLIRun(
            arguments: arguments, status: status,
            stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self)
        )
    }

    /// Runs and requires exit status 0.
    @discardableResult
    func succeed(_ arguments: [String], database: String?? = .some(nil), sourceLocation: SourceLocation = #_sourceLocation) async throws -> CLIRun {
        let result = try await run(arguments, database: database)
        try #require(result.status == 0, "\(result)", sourceLocation: sourceLocation)
        return result
    }
}

func withSandbox(_ body: (CLISandbox) async throws -> Void) async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tariff-cli-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    try await body(CLISandbox(directory: directory))
}

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

    @Test("a bad deck exits non-zero, lists FILE:LINE: column: problem on stderr, and stores nothing")
    func badDeck() async throws {
        try await withSandbox { sandbox in
            try await sandbox.succeed(["import", try sandbox.write("deck.csv", Self.deck)])
            let decksBefore = try await sandbox.succeed(["decks", "--json"]).stdout
            let bad = try sandbox.write("bad.csv", """
                product,country,price,currency
                voice-outbound,ES,0.03,EUR
                voice-outbound,ES,abc,EUR
                voice-outbound,QQ,0.1,EUR

                """)
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

    @Test("decks lists every version")
    func decksListsVersions() async throws {
        try await withSandbox { sandbox in
            try await sandbox.succeed(["import", try sandbox.write("deck.csv", Self.deck)])
            try await sandbox.succeed(["import", try sandbox.write("changed.csv", Self.deck.replacingOccurrences(of: "0.07,EUR", with: "0.08,EUR"))])
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

    @Test("with no --database, a first run creates ./tariff.sqlite with the demo deck")
    func defaultDatabaseGetsDemo() async throws {
        try await withSandbox { sandbox in
            let workingDirectory = sandbox.directory.appendingPathComponent("work", isDirectory: true)
            try FileManager.default.createDirectory(at: workingDirectory, withIntermediateDirectories: true)
            let result = try await sandbox.run(["price", "+34612345678", "--format", "json"], database: .none, workingDirectory: workingDirectory)
            try #require(result.status == 0, "\(result)")
            #expect(FileManager.default.fileExists(atPath: workingDirectory.appendingPathComponent("tariff.sqlite").path))
            let json = try result.json()
            #expect(json["country"] as? String == "ES")
            let price = try #require(json["price"] as? String)
            #expect(Double(price).map { $0 > 0 } == true, "price \(price)")

            let decks = try await sandbox.run(["decks", "--json"], database: .none, workingDirectory: workingDirectory)
            let versions = try decks.jsonArray()
            #expect(!versions.isEmpty)
            #expect(versions.allSatisfy { $0["demo"] as? Bool == true }, "\(decks)")
        }
    }

    @Test("a fresh database named with --database or TARIFF_DATABASE has no prices")
    func explicitDatabaseHasNoPrices() async throws {
        try await withSandbox { sandbox in
            let result = try await sandbox.run(["price", "+34612345678"])
            #expect(result.status != 0, "\(result)")
            #expect(result.stderr.contains("no voice-outbound price for +34612345678"), "\(result)")
            #expect(FileManager.default.fileExists(atPath: sandbox.database))
            #expect(!FileManager.default.fileExists(atPath: sandbox.path("tariff.sqlite")))

            let fromEnvironment = sandbox.path("env.sqlite")
            let viaEnvironment = try await sandbox.run(["price", "+34612345678"], database: .none, environment: ["TARIFF_DATABASE": fromEnvironment])
            #expect(viaEnvironment.status != 0, "\(viaEnvironment)")
            #expect(viaEnvironment.stderr.contains("no voice-outbound price"), "\(viaEnvironment)")
            #expect(FileManager.default.fileExists(atPath: fromEnvironment))
            #expect(!FileManager.default.fileExists(atPath: sandbox.path("tariff.sqlite")))
        }
    }
}
