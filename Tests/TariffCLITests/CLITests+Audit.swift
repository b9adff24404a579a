import Foundation
import Testing

extension CLITests {
    @Test("account close refuses keys and charges; tariff audit lists what the command line did, by whom, never a secret")
    func closeAndAudit() async throws {
        try await withSandbox { sandbox in
            let opened = try await sandbox.succeed(["account", "create", "--name", "ana", "--currency", "EUR"]).json()
            let id = try #require(opened["account_id"] as? Int)
            let secret = try #require(opened["api_secret"] as? String)
            _ = try await sandbox.succeed(["account", "credit", String(id), "5"])
            let closed = try await sandbox.succeed(["account", "close", "--account", String(id)])
            #expect(closed.stdout.contains("account \(id) closed at"), "\(closed)")
            let missing = try await sandbox.run(["account", "close", "--account", "999"])
            #expect(missing.status != 0 && missing.stderr.contains("no account 999"), "\(missing)")

            let listed = try await sandbox.succeed(["audit", "--json"], database: .some(nil))
            let events = try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]] ?? []
            #expect(events.compactMap { $0["action"] as? String } == ["account.open", "ledger.post", "account.close"], "\(listed)")
            #expect(events.allSatisfy { $0["actor"] as? String == "cli" && $0["target"] as? String == "account:\(id)" })
            #expect(!listed.stdout.contains(secret))
            let filtered = try await sandbox.succeed(["audit", "--json", "--action", "account.close"])
            #expect((try JSONSerialization.jsonObject(with: Data(filtered.stdout.utf8)) as? [Any])?.count == 1)
            let table = try await sandbox.succeed(["audit", "--after", "2"])
            #expect(table.stdout.contains("account.close") && !table.stdout.contains("account.open"), "\(table)")
            let bad = try await sandbox.run(["audit", "--limit", "0"])
            #expect(bad.status != 0)
        }
    }
}
