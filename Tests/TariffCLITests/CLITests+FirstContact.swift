import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension CLITests {
    @Test("the first run says it created the database, and with what; later runs say nothing of it")
    func firstRunAnnounced() async throws {
        try await withSandbox { sandbox in
            let workingDirectory = try sandbox.workingDirectory()
            let first = try await sandbox.run(["decks"], database: .none, workingDirectory: workingDirectory)
            #expect(first.status == 0, "\(first)")
            #expect(first.stderr.contains("created ./tariff.sqlite with the reference data and the demo deck"), "\(first)")
            let second = try await sandbox.run(["decks"], database: .none, workingDirectory: workingDirectory)
            #expect(!second.stderr.contains("created"), "\(second)")
            let named = try await sandbox.run(["decks"])
            #expect(named.stderr.contains("created \(sandbox.database) with the reference data and no prices"), "\(named)")
        }
    }

    @Test("tariff --version prints the version; serve --help names every dialect and SIGHUP")
    func versionAndHelp() async throws {
        try await withSandbox { sandbox in
            let version = try await sandbox.run(["--version"], database: .none)
            #expect(version.status == 0, "\(version)")
            #expect(version.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3, "\(version)")
            let help = try await sandbox.run(["serve", "--help"], database: .none)
            for word in [
                "Vonage Pricing v1", "v2", "Voximplant", "native", "SIGHUP", "--public-url", "--idle-timeout", "--max-connections", "--fast-path",
            ] {
                #expect(help.stdout.contains(word), "\(word) missing from\n\(help)")
            }
        }
    }

    @Test(
        "an impossible number is bad input (exit 64) with the reason, not 'no price' (exit 2)",
        arguments: ["12345", "+3461234", "+346123456789012"]
    )
    func impossibleNumber(_ number: String) async throws {
        try await withSandbox { sandbox in
            let result = try await sandbox.run(["price", number])
            #expect(result.status == 64, "\(result)")
            #expect(result.stderr.contains("not a possible number"), "\(result)")
        }
    }

    @Test("serve on a port in use fails with one clear line")
    func portInUse() async throws {
        try await withSandbox { sandbox in
            // Hold a port with a plain socket, then ask tariff serve for it.
            let fd = socket(AF_INET, streamSocketType, 0)
            defer { close(fd) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = 0
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                    bind(fd, pointer, length) == 0 && listen(fd, 1) == 0 && getsockname(fd, pointer, &length) == 0
                }
            }
            try #require(bound)
            let port = Int(UInt16(bigEndian: address.sin_port))
            let result = try await sandbox.run(["serve", "--host", "127.0.0.1", "--port", String(port)])
            #expect(result.status == 1, "\(result)")
            let expected =
                "tariff: cannot listen on 127.0.0.1:\(port): port \(port) is in use (another tariff serve?); stop it or choose another with --port"
            #expect(result.stderr.split(separator: "\n").last.map(String.init) == expected, "\(result)")
            #expect(!result.stderr.contains("Error:") && !result.stderr.contains("errno"), "\(result)")
        }
    }

    @Test(
        "serve refuses bad connection and address settings before it starts",
        arguments: [
            ["--idle-timeout", "0"], ["--header-timeout", "-1"], ["--max-connections", "0"], ["--public-url", "ftp://x"],
            ["--allowed-host", "a/b"], ["--idle-timeout", "9223372036854775807"], ["--fast-path", "maybe"],
        ]
    )
    func badServeSettings(_ flags: [String]) async throws {
        try await withSandbox { sandbox in
            let result = try await sandbox.run(["serve", "--port", "0"] + flags)
            #expect(result.status == 64, "\(result)")
        }
    }
}

extension CLITests {
    @Test(
        "price refuses counts out of range with exit 64, never a crash",
        arguments: [
            ["--seconds", "9223372036854775807"], ["--seconds=-1"], ["--messages=-3"], ["--messages", "1000000001"],
        ]
    )
    func extremeCounts(_ flags: [String]) async throws {
        try await withSandbox { sandbox in
            let result = try await sandbox.run(["price", "+34612345678"] + flags)
            #expect(result.status == 64, "\(result)")
            #expect(result.stderr.contains("expected 0 to 1000000000"), "\(result)")
        }
    }
}

extension CLITests {
    @Test(
        "a database URL that cannot be used is one line naming what to fix, exit 64, and never shows the password",
        arguments: ["postgres://tariff:hunter2@/billing", "postgres://tariff:hunter2@db:99999/billing", "mysql://tariff:hunter2@db/billing"]
    )
    func badDatabaseURL(_ url: String) async throws {
        try await withSandbox { sandbox in
            for command in [["decks"], ["serve", "--port", "0"], ["account", "list"]] {
                let result = try await sandbox.run(command, database: .some(url))
                #expect(result.status == 64, "\(result)")
                #expect(result.stderr.split(separator: "\n").count == 1, "\(result)")
                #expect(result.stderr.hasPrefix("tariff: "), "\(result)")
                #expect(!result.stderr.contains("hunter2") && !result.stdout.contains("hunter2"), "\(result)")
            }
        }
    }
}

extension CLITests {
    @Test("migrate brings the schema to this release's and says which; a database newer than the binary is refused")
    func migrate() async throws {
        try await withSandbox { sandbox in
            let first = try await sandbox.succeed(["migrate"])
            let version = try #require(first.stdout.split(separator: " ").last.flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) })
            #expect(first.stdout.hasPrefix("\(sandbox.database): schema version "), "\(first)")
            #expect(version >= 11, "\(first)")
            // Again: nothing to do, the same version.
            #expect(try await sandbox.succeed(["migrate"]).stdout == first.stdout)
            // A release from the future has been here.
            let sqlite = Process()
            sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            sqlite.arguments = [
                "python3", "-c",
                "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(\"INSERT INTO schema_migrations VALUES (999, 'future', 0)\"); c.commit()",
                sandbox.database,
            ]
            try sqlite.run()
            sqlite.waitUntilExit()
            #expect(sqlite.terminationStatus == 0)
            let refused = try await sandbox.run(["migrate"])
            #expect(refused.status != 0, "\(refused)")
            #expect(refused.stderr.contains("schema version 999, newer than this tariff"), "\(refused)")
        }
    }
}
