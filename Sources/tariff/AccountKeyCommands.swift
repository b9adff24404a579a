import ArgumentParser
import Foundation
import TariffCore
import TariffStore

/// Voximplant service-account keys: `tariff account key | keys | key-revoke`.
extension AccountCommand {
    struct Key: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "key",
            abstract: "Create a Voximplant service-account key and write the credentials file the SDKs load.",
            discussion: "Only the public key is stored: the private key exists only in --out, which is written with mode 0600."
        )

        @Option(help: "The account's id.")
        var account: Int64

        @Option(help: "Where to write the credentials JSON.")
        var out: String

        @Flag(help: "Overwrite --out if it exists.")
        var force = false

        @Flag(help: "Print as JSON.")
        var json = false

        @OptionGroup var global: GlobalOptions

        struct Created: Encodable {
            let accountId: Int64
            let keyId: String
            let out: String
        }

        func run() async throws {
            // Checked first for a clear message; `place` checks again, atomically.
            if !force, FileManager.default.fileExists(atPath: out) { throw ValidationError(SecretFile.Failure.exists(out).description) }
            let now = try global.now()
            let created = try await withStore(global) { store in
                guard let owner = try await store.accounts.account(id: account) else { throw ValidationError("no account \(account)") }
                let key = try ServiceKeys.generate()
                let credentials = ServiceAccountCredentials(
                    accountID: owner.id,
                    accountEmail: owner.email ?? "",
                    keyID: key.keyID,
                    privateKey: key.privateKeyPEM
                )
                let staged = try SecretFile.stage(try credentials.encoded(), beside: out)
                do {
                    guard try await store.serviceKeys.add(keyID: key.keyID, accountID: owner.id, publicKeyPEM: key.publicKeyPEM, now: now) != nil
                    else { throw ValidationError("no account \(account)") }
                } catch {
                    staged.discard()
                    throw error
                }
                do {
                    try staged.place(at: out, replacing: force)
                } catch {
                    // Nobody holds the private key of a stored key whose file was not written:
                    // revoke it, so that it is listed as unusable rather than as live.
                    _ = try? await store.serviceKeys.revoke(keyID: key.keyID, now: now)
                    staged.discard()
                    if let failure = error as? SecretFile.Failure { throw ValidationError(failure.description) }
                    throw error
                }
                await audit(store, global, "service_key.create", target: "account:\(owner.id)", detail: "service key \(key.keyID)")
                return Created(accountId: owner.id, keyId: key.keyID, out: out)
            }
            if json { return printJSON(created) }
            print(created.keyId)
            printError("credentials for account \(created.accountId) written to \(out); the private key is kept nowhere else")
        }
    }

    struct Keys: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List an account's service keys, revoked ones included.")

        @Option(help: "The account's id.")
        var account: Int64

        @Flag(help: "Print as JSON.")
        var json = false

        @OptionGroup var global: GlobalOptions

        struct Row: Encodable {
            let keyId: String
            let accountId: Int64
            let createdAt: String
            let revokedAt: String?

            enum CodingKeys: CodingKey { case keyId, accountId, createdAt, revokedAt }

            // A live key shows `"revoked_at": null` rather than no field.
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(keyId, forKey: .keyId)
                try container.encode(accountId, forKey: .accountId)
                try container.encode(createdAt, forKey: .createdAt)
                try container.encode(revokedAt, forKey: .revokedAt)
            }
        }

        func run() async throws {
            let keys = try await withStore(global) { store in
                guard try await store.accounts.account(id: account) != nil else { throw ValidationError("no account \(account)") }
                return try await store.serviceKeys.keys(accountID: account)
            }
            let rows = keys.map { Row(keyId: $0.keyID, accountId: $0.accountID, createdAt: $0.createdAt.iso8601, revokedAt: $0.revokedAt?.iso8601) }
            if json { return printJSON(rows) }
            guard !rows.isEmpty else {
                return print("no service keys for account \(account): tariff account key --account \(account) --out credentials.json")
            }
            print(table(rows.map { [$0.keyId, $0.createdAt, $0.revokedAt ?? "-"] }, header: ["key id", "created", "revoked"]))
        }
    }

    struct KeyRevoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "key-revoke",
            abstract: "Revoke a service key: tokens it signs are refused from now on."
        )

        @Option(help: "The key id (the JWT kid).")
        var keyId: String

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let now = try global.now()
            let key = try await withStore(global) { store in
                guard let key = try await store.serviceKeys.key(keyID: keyId) else { throw ValidationError("no service key '\(keyId)'") }
                guard try await store.serviceKeys.revoke(keyID: keyId, now: now) else {
                    let revokedAt = try await store.serviceKeys.key(keyID: keyId)?.revokedAt
                    throw ValidationError("service key '\(keyId)' was already revoked\(revokedAt.map { " at \($0.iso8601)" } ?? "")")
                }
                await audit(store, global, "service_key.revoke", target: "account:\(key.accountID)", detail: "service key \(keyId)")
                return key
            }
            print("revoked service key \(key.keyID) of account \(key.accountID)")
        }
    }
}
