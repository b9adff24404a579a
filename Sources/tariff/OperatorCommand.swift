import ArgumentParser
import Foundation
import TariffCore
import TariffStore

/// Operators' tokens for the admin routes of `tariff serve`.
struct OperatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "operator",
        abstract: "Operators' tokens: the credential of the admin routes (/v1/admin/...), which move any account's money.",
        subcommands: [TokenCreate.self, Tokens.self, TokenRevoke.self]
    )

    struct TokenCreate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "token-create",
            abstract: "Make an operator token; prints it once (only a salted hash is stored).",
            discussion: "Send it as `Authorization: Bearer <token>` to /v1/admin/...; a running server accepts it at once.",
            aliases: ["create-token"]
        )

        @Option(help: "Who or what holds the token (kept in listings and in the server's log of what it did).") var name: String
        @OptionGroup var global: GlobalOptions

        struct Created: Encodable {
            let id: String
            let name: String
            let token: String
        }

        func run() async throws {
            guard !name.isEmpty, name.utf8.count <= 200 else { throw ValidationError("--name: 1 to 200 bytes") }
            let now = try global.now()
            let (token, text) = try await withStore(global) { store in
                let created = try await store.operatorTokens.create(name: name, now: now)
                await audit(
                    store,
                    global,
                    "operator_token.create",
                    target: "operator_token:\(created.token.id)",
                    detail: "for \(name.debugDescription)"
                )
                return created
            }
            printJSON(Created(id: token.id, name: token.name, token: text))
        }
    }

    struct Tokens: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "tokens", abstract: "List operator tokens, revoked ones included.")
        @Flag(help: "Print as JSON.") var json = false
        @OptionGroup var global: GlobalOptions

        struct Listed: Encodable {
            let id: String
            let name: String
            let createdAt: String
            let revokedAt: String?
        }

        func run() async throws {
            let tokens = try await withStore(global) { store in try await store.operatorTokens.tokens() }
            let listed = tokens.map { Listed(id: $0.id, name: $0.name, createdAt: $0.createdAt.iso8601, revokedAt: $0.revokedAt?.iso8601) }
            if json {
                printJSON(listed)
            } else if listed.isEmpty {
                print("no operator tokens")
            } else {
                print(
                    table(
                        listed.map { [$0.id, $0.name, $0.createdAt, $0.revokedAt.map { "revoked \($0)" } ?? "active"] },
                        header: ["id", "name", "created", "state"]
                    )
                )
            }
        }
    }

    struct TokenRevoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "token-revoke", abstract: "Revoke an operator token: refused from now on.")
        @Argument(help: "The token's id (as `tokens` lists it).") var id: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let now = try global.now()
            let revoked = try await withStore(global) { store in
                guard try await store.operatorTokens.revoke(id: id, now: now) else { return false }
                await audit(store, global, "operator_token.revoke", target: "operator_token:\(id)", detail: "revoked")
                return true
            }
            guard revoked else {
                throw ValidationError("no active operator token \(id)")
            }
            print("revoked operator token \(id)")
        }
    }
}
