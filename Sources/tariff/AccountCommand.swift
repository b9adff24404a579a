import ArgumentParser
import TariffCore
import TariffStore

struct AccountCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "account", abstract: "Accounts and their API keys.",
        subcommands: [Create.self, List.self, KeyRotate.self]
    )

    struct Issued: Encodable {
        let accountId: Int64
        let apiKey: String
        let apiSecret: String
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an account; prints its id, API key and secret (the secret is shown only once).")

        @Option(help: "The account's name.")
        var name: String

        @Option(help: "The currency every price is shown in (ISO 4217).")
        var currency: String

        @Option(help: "Use this API key instead of a generated one.")
        var apiKey: String?

        @Option(help: "Use this API secret instead of a generated one.")
        var apiSecret: String?

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let issued = try await withStore(global) { store in
                let reference = try await store.reference.tables()
                guard let code = CurrencyCode(currency), reference.currencies.contains(where: { $0.code == code }) else {
                    throw ValidationError("--currency '\(currency)' is not an ISO 4217 currency")
                }
                if let apiKey, try await store.accounts.credential(apiKey: apiKey) != nil {
                    throw ValidationError("API key '\(apiKey)' is already in use")
                }
                let (credential, secret) = Credentials.make(apiKey: apiKey, secret: apiSecret)
                let account = try await store.accounts.create(name: name, currency: code, deck: "base", credential: credential, now: try global.now())
                return Issued(accountId: account.id, apiKey: credential.apiKey, apiSecret: secret)
            }
            printJSON(issued)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List accounts with their API keys.")

        @Flag(help: "Print as JSON.")
        var json = false

        @OptionGroup var global: GlobalOptions

        struct Row: Encodable {
            let accountId: Int64
            let name: String
            let currency: String
            let deck: String
            let createdAt: String
            let apiKeys: [String]
        }

        func run() async throws {
            let rows = try await withStore(global) { store in
                var rows: [Row] = []
                for account in try await store.accounts.accounts() {
                    let keys = try await store.accounts.credentials(accountID: account.id).map(\.apiKey)
                    rows.append(Row(accountId: account.id, name: account.name, currency: account.currency.rawValue, deck: account.deck,
                                    createdAt: account.createdAt.iso8601, apiKeys: keys))
                }
                return rows
            }
            if json { return printJSON(rows) }
            guard !rows.isEmpty else { return print("no accounts yet: tariff account create --name NAME --currency EUR") }
            print(table(rows.map { [String($0.accountId), $0.name, $0.currency, $0.apiKeys.joined(separator: " "), $0.createdAt] },
                        header: ["id", "name", "currency", "api keys", "created"]))
        }
    }

    struct KeyRotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "key-rotate", abstract: "Give an API key a new secret; the old secret stops working at once."
        )

        @Option(help: "The API key.")
        var apiKey: String

        @Option(help: "Use this secret instead of a generated one.")
        var apiSecret: String?

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let issued = try await withStore(global) { store in
                guard let existing = try await store.accounts.credential(apiKey: apiKey) else {
                    throw ValidationError("no API key '\(apiKey)'")
                }
                let (credential, secret) = Credentials.make(apiKey: apiKey, secret: apiSecret)
                _ = try await store.accounts.replaceSecret(apiKey: apiKey, with: credential, now: try global.now())
                return Issued(accountId: existing.accountID, apiKey: apiKey, apiSecret: secret)
            }
            printJSON(issued)
        }
    }
}
