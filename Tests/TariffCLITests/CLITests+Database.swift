import Foundation
import Testing

extension CLITests {
    @Test("with no --database, a first run creates ./tariff.sqlite with the demo deck")
    func defaultDatabaseGetsDemo() async throws {
        try await withSandbox { sandbox in
            let workingDirectory = try sandbox.workingDirectory()
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

    @Test("copy goes from a SQLite file to PostgreSQL only: other directions are usage errors, a missing file is exit 66")
    func copyRefusesOtherDirections() async throws {
        try await withSandbox { sandbox in
            let url = "postgres://tariff:secret@127.0.0.1:1/nowhere"
            let backwards = try await sandbox.run(["copy", "--from", url, "--to", sandbox.path("a.sqlite")], database: .none)
            #expect(backwards.status == 64, "\(backwards)")
            #expect(backwards.stderr.contains("--from FILE --to postgres://"), "\(backwards)")
            #expect(!backwards.stderr.contains("secret"), "the password never reaches a message: \(backwards)")
            let sideways = try await sandbox.run(["copy", "--from", sandbox.path("a.sqlite"), "--to", sandbox.path("b.sqlite")], database: .none)
            #expect(sideways.status == 64, "\(sideways)")
            let missing = try await sandbox.run(["copy", "--from", sandbox.path("missing.sqlite"), "--to", url], database: .none)
            #expect(missing.status == 66, "\(missing)")
            #expect(missing.stderr.contains("no SQLite database at"), "\(missing)")
            #expect(!FileManager.default.fileExists(atPath: sandbox.path("missing.sqlite")), "a missing source is not created")
            _ = try await sandbox.run(["decks"])
            let unreachable = try await sandbox.run(["copy", "--from", sandbox.database, "--to", url], database: .none)
            #expect(unreachable.status == 1, "\(unreachable)")
            #expect(!unreachable.stderr.contains("secret"), "\(unreachable)")
        }
    }

    @Test("a file that is not a database is one line and exit 1, for any command and for copy's source")
    func notADatabase() async throws {
        try await withSandbox { sandbox in
            let garbage = sandbox.path("garbage.sqlite")
            try Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7919 &+ 13) }).write(to: URL(fileURLWithPath: garbage))
            let price = try await sandbox.run(["price", "+34612345678", "--database", garbage], database: .none)
            #expect(price.status == 1, "\(price)")
            #expect(price.stderr.contains("not a database"), "\(price)")
            let copy = try await sandbox.run(["copy", "--from", garbage, "--to", "postgres://tariff:secret@127.0.0.1:1/nowhere"], database: .none)
            #expect(copy.status == 1, "\(copy)")
            #expect(copy.stderr.split(separator: "\n").count == 1, "\(copy)")
        }
    }
}
