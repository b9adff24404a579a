import Foundation
import Testing

extension CLITests {
    /// Creates an account and returns its id.
    func createAccount(_ sandbox: CLISandbox, name: String, email: String? = nil) async throws -> Int {
        let arguments = ["account", "create", "--name", name, "--currency", "EUR"] + (email.map { ["--email", $0] } ?? [])
        return try #require(try await sandbox.succeed(arguments).json()["account_id"] as? Int)
    }

    func credentialsFile(_ path: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    }

    func mode(_ path: String) throws -> Int? {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue
    }

    /// The directory's file names, without the database and its WAL files.
    func strayFiles(_ sandbox: CLISandbox) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: sandbox.directory.path).filter { !$0.hasPrefix("t.sqlite") && !$0.hasPrefix("std") }
            .sorted()
    }

    @Test("account key writes the SDK credentials file with mode 0600 and stores only the public key")
    func serviceKeyFile() async throws {
        try await withSandbox { sandbox in
            let id = try await createAccount(sandbox, name: "ana", email: "ana@example.com")
            let out = sandbox.path("credentials.json")
            let made = try await sandbox.succeed(["account", "key", "--account", String(id), "--out", out])
            let keyID = made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(UUID(uuidString: keyID) != nil && keyID == keyID.lowercased(), "\(made)")

            let file = try credentialsFile(out)
            #expect(Set(file.keys) == ["account_id", "account_email", "key_id", "private_key"])
            #expect(file["account_id"] as? Int == id)
            #expect(file["account_email"] as? String == "ana@example.com")
            #expect(file["key_id"] as? String == keyID)
            let privateKey = try #require(file["private_key"] as? String)
            #expect(privateKey.hasPrefix("-----BEGIN PRIVATE KEY-----\n") && privateKey.hasSuffix("-----END PRIVATE KEY-----\n"))
            #expect(try mode(out) == 0o600)
            #expect(try strayFiles(sandbox) == ["credentials.json"])

            // Nothing of the private key reaches the database (main file or WAL).
            let line = try #require(privateKey.split(separator: "\n").dropFirst(3).first.map(String.init))
            for name in try FileManager.default.contentsOfDirectory(atPath: sandbox.directory.path) where name.hasPrefix("t.sqlite") {
                let bytes = try Data(contentsOf: sandbox.directory.appendingPathComponent(name))
                #expect(bytes.range(of: Data(line.utf8)) == nil, "\(name) holds the private key")
            }

            let keys = try await sandbox.succeed(["account", "keys", "--account", String(id), "--json"]).jsonArray()
            #expect(keys.count == 1)
            #expect(keys.first?["key_id"] as? String == keyID)
            #expect(keys.first?["created_at"] as? String == CLISandbox.now)
            #expect(keys.first?["revoked_at"] is NSNull)
            let listed = try await sandbox.succeed(["account", "keys", "--account", String(id)])
            #expect(listed.stdout.contains(keyID) && listed.stdout.contains("revoked"), "\(listed)")

            let accounts = try await sandbox.succeed(["account", "list", "--json"]).jsonArray()
            #expect(accounts.first?["email"] as? String == "ana@example.com")
            #expect(try await sandbox.succeed(["account", "list"]).stdout.contains("ana@example.com"))
        }
    }

    @Test("account key --json, and an account without e-mail gets an empty account_email")
    func serviceKeyJSONWithoutEmail() async throws {
        try await withSandbox { sandbox in
            let id = try await createAccount(sandbox, name: "bob")
            let out = sandbox.path("bob.json")
            let made = try await sandbox.succeed(["account", "key", "--account", String(id), "--out", out, "--json"]).json()
            #expect(made["account_id"] as? Int == id)
            let file = try credentialsFile(out)
            #expect(file["account_email"] as? String == "")
            #expect(made["key_id"] as? String == file["key_id"] as? String)
            #expect(try await sandbox.succeed(["account", "list", "--json"]).jsonArray().first?["email"] is NSNull)
        }
    }

    @Test("key-revoke revokes once; the key stays listed with its revocation time")
    func revokeServiceKey() async throws {
        try await withSandbox { sandbox in
            let id = try await createAccount(sandbox, name: "ana")
            let keep = try await sandbox.succeed(["account", "key", "--account", String(id), "--out", sandbox.path("a.json"), "--json"]).json()
            let drop = try await sandbox.succeed(["account", "key", "--account", String(id), "--out", sandbox.path("b.json"), "--json"]).json()
            let dropID = try #require(drop["key_id"] as? String)
            let revoked = try await sandbox.succeed(["account", "key-revoke", "--key-id", dropID])
            #expect(revoked.stdout.contains(dropID), "\(revoked)")

            let keys = try await sandbox.succeed(["account", "keys", "--account", String(id), "--json"]).jsonArray()
            let byID = Dictionary(uniqueKeysWithValues: keys.compactMap { row in (row["key_id"] as? String).map { ($0, row) } })
            #expect(byID.count == 2)
            #expect(byID[dropID]?["revoked_at"] as? String == CLISandbox.now)
            #expect(byID[try #require(keep["key_id"] as? String)]?["revoked_at"] is NSNull)

            let again = try await sandbox.run(["account", "key-revoke", "--key-id", dropID])
            #expect(again.status != 0 && again.stderr.contains("already revoked"), "\(again)")
            let unknown = try await sandbox.run(["account", "key-revoke", "--key-id", "no-such-key"])
            #expect(unknown.status != 0 && unknown.stderr.contains("no service key 'no-such-key'"), "\(unknown)")
        }
    }

    @Test("account key refuses to overwrite a file unless --force, and stores nothing when it refuses")
    func serviceKeyOverwrite() async throws {
        try await withSandbox { sandbox in
            let id = try await createAccount(sandbox, name: "ana")
            let out = try sandbox.write("credentials.json", "precious\n")
            let refused = try await sandbox.run(["account", "key", "--account", String(id), "--out", out])
            #expect(refused.status != 0 && refused.stderr.contains("already exists"), "\(refused)")
            #expect(try String(contentsOfFile: out, encoding: .utf8) == "precious\n")
            #expect(try await sandbox.succeed(["account", "keys", "--account", String(id), "--json"]).jsonArray().isEmpty)

            let forced = try await sandbox.succeed(["account", "key", "--account", String(id), "--out", out, "--force", "--json"]).json()
            #expect(try credentialsFile(out)["key_id"] as? String == forced["key_id"] as? String)
            #expect(try mode(out) == 0o600)
            #expect(try strayFiles(sandbox) == ["credentials.json"])
            #expect(try await sandbox.succeed(["account", "keys", "--account", String(id), "--json"]).jsonArray().count == 1)
        }
    }

    @Test("account key for an unknown account fails clearly, writes no file and stores no key")
    func serviceKeyUnknownAccount() async throws {
        try await withSandbox { sandbox in
            let id = try await createAccount(sandbox, name: "ana")
            let out = sandbox.path("credentials.json")
            let result = try await sandbox.run(["account", "key", "--account", "42", "--out", out])
            #expect(result.status != 0, "\(result)")
            #expect(result.stderr.contains("no account 42"), "\(result)")
            #expect(result.stdout.isEmpty, "\(result)")
            #expect(try strayFiles(sandbox).isEmpty)
            #expect(try await sandbox.succeed(["account", "keys", "--account", String(id), "--json"]).jsonArray().isEmpty)
            let keys = try await sandbox.run(["account", "keys", "--account", "42"])
            #expect(keys.status != 0 && keys.stderr.contains("no account 42"), "\(keys)")
        }
    }

    @Test("account create refuses an e-mail another account holds, whatever its case")
    func duplicateEmail() async throws {
        try await withSandbox { sandbox in
            let id = try await createAccount(sandbox, name: "ana", email: "ana@example.com")
            let result = try await sandbox.run(["account", "create", "--name", "bob", "--currency", "EUR", "--email", "ANA@Example.com"])
            #expect(result.status != 0 && result.stderr.contains("already belongs to account \(id)"), "\(result)")
            let bad = try await sandbox.run(["account", "create", "--name", "bob", "--currency", "EUR", "--email", "not-an-address"])
            #expect(bad.status != 0 && bad.stderr.contains("is not an e-mail address"), "\(bad)")
            #expect(try await sandbox.succeed(["account", "list", "--json"]).jsonArray().count == 1)
        }
    }
}
