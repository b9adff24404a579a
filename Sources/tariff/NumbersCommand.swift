import ArgumentParser
import Foundation
import TariffCore
import TariffStore

/// Numbers in stock and rented: `tariff numbers list | stock`.
struct NumbersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "numbers",
        abstract: "Rented numbers and the stock they come from (import stock with `tariff import --kind inventory`).",
        subcommands: [List.self, Stock.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Subscriptions: who rents which number, its state, fees and next renewal.")
        @Option(help: "Only this account's.") var account: Int64?
        @Option(help: "Only these states (comma-separated): active, suspended, cancelled, ended.") var state: String?
        @Flag(help: "Print as JSON.") var json = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let states = try state.map { text in
                Set(
                    try text.split(separator: ",").map { name in
                        guard let state = Subscription.State(rawValue: String(name)) else {
                            throw ValidationError("--state '\(name)': one of \(Subscription.State.allCases.map(\.rawValue).joined(separator: ", "))")
                        }
                        return state
                    }
                )
            }
            let (subscriptions, _) = try await withStore(global) { store in
                try await store.numbers.subscriptions(SubscriptionQuery(accountID: account, states: states, limit: Int(Int32.max)))
            }
            let rows = subscriptions.map { SubscriptionRecord($0) }
            if json { return printJSON(rows) }
            guard !rows.isEmpty else { return print("no rented numbers") }
            print(
                table(
                    rows.map { [String($0.id), String($0.accountId), $0.number, $0.category, $0.state, $0.paidUntil, $0.monthlyFee] },
                    header: ["id", "account", "number", "category", "state", "paid until", "monthly"]
                )
            )
        }
    }

    struct Stock: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "How many numbers are in stock, per country, category and region.")
        @Flag(help: "Print as JSON.") var json = false
        @OptionGroup var global: GlobalOptions

        struct Row: Encodable {
            let country: String
            let category: String
            let region: String?
            let available: Int
        }

        func run() async throws {
            let counts = try await withStore(global) { store in try await store.numbers.stockCounts() }
            let rows = counts.sorted { $0.key < $1.key }.map {
                Row(country: $0.key.country, category: $0.key.category, region: $0.key.regionCode, available: $0.value)
            }
            if json { return printJSON(rows) }
            guard !rows.isEmpty else { return print("no numbers in stock") }
            print(
                table(
                    rows.map { [$0.country, $0.category, $0.region ?? "", String($0.available)] },
                    header: ["country", "category", "region", "available"]
                )
            )
        }
    }
}
