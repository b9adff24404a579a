import ArgumentParser
import TariffCore
import TariffStore

struct AccountCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "account",
        abstract: "Accounts, their API keys, their Voximplant service keys and their money.",
        subcommands: [
            Create.self, List.self, Show.self, KeyRotate.self, Key.self, Keys.self, KeyRevoke.self, Credit.self, Debit.self,
            SetCreditLimit.self, Transactions.self, Close.self,
        ]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an account; prints its id, API key and secret (the secret is shown only once)."
        )

        @Option(help: "The account's name.")
        var name: String

        @Option(help: "The currency every price is shown in (ISO 4217).")
        var currency: String

        @Option(help: "The account's e-mail address (Voximplant clients may name the account by it).")
        var email: String?

        @Option(help: "Use this API key instead of a generated one.")
        var apiKey: String?

        @Option(help: "Use this API secret instead of a generated one.")
        var apiSecret: String?

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let request = AccountOpening.Request(name: name, currency: currency, email: email, apiKey: apiKey, apiSecret: apiSecret)
            let issued = try await withStore(global) { store in
                let issued: AccountOpening.Issued
                do { issued = try await AccountOpening.open(request, store: store, now: try global.now()) } catch let refusal
                    as AccountOpening.Refusal
                {
                    throw ValidationError("--\(refusal.field.split(separator: "_").joined(separator: "-")) \(refusal.reason)")
                }
                await audit(
                    store,
                    global,
                    "account.open",
                    target: "account:\(issued.accountId)",
                    detail: "name \(name.debugDescription), currency \(currency), first key \(issued.apiKey)"
                )
                return issued
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
            let email: String?
            let currency: String
            let deck: String
            let createdAt: String
            let apiKeys: [String]

            enum CodingKeys: CodingKey { case accountId, name, email, currency, deck, createdAt, apiKeys }

            // An account without an e-mail shows `"email": null` rather than no field.
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(accountId, forKey: .accountId)
                try container.encode(name, forKey: .name)
                try container.encode(email, forKey: .email)
                try container.encode(currency, forKey: .currency)
                try container.encode(deck, forKey: .deck)
                try container.encode(createdAt, forKey: .createdAt)
                try container.encode(apiKeys, forKey: .apiKeys)
            }
        }

        func run() async throws {
            let rows = try await withStore(global) { store in
                var rows: [Row] = []
                for account in try await store.accounts.accounts() {
                    let keys = try await store.accounts.credentials(accountID: account.id).map(\.apiKey)
                    rows.append(
                        Row(
                            accountId: account.id,
                            name: account.name,
                            email: account.email,
                            currency: account.currency.rawValue,
                            deck: account.deck,
                            createdAt: account.createdAt.iso8601,
                            apiKeys: keys
                        )
                    )
                }
                return rows
            }
            if json { return printJSON(rows) }
            guard !rows.isEmpty else { return print("no accounts yet: tariff account create --name NAME --currency EUR") }
            print(
                table(
                    rows.map { [String($0.accountId), $0.name, $0.email ?? "-", $0.currency, $0.apiKeys.joined(separator: " "), $0.createdAt] },
                    header: ["id", "name", "email", "currency", "api keys", "created"]
                )
            )
        }
    }

    struct KeyRotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "key-rotate",
            abstract: "Give an API key a new secret; the old secret stops working at once."
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
                await audit(store, global, "api_key.rotate", target: "account:\(existing.accountID)", detail: "key \(apiKey)")
                return AccountOpening.Issued(accountId: existing.accountID, apiKey: apiKey, apiSecret: secret)
            }
            printJSON(issued)
        }
    }
}
