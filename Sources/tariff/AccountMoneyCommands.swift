import ArgumentParser
import Foundation
import TariffCore
import TariffStore

/// Top-ups, corrections and reads of an account's ledger.
extension AccountCommand {
    /// Posts one operator entry and prints it with the balance it left.
    static func postOperatorEntry(_ global: GlobalOptions, account: Int64, type: TransactionType, amount: Amount, reason: String?) async throws {
        let outcome = try await withStore(global) { store in
            let now = try global.now()
            let posting = LedgerPosting(
                accountID: account,
                type: type,
                amount: amount,
                performedAt: now,
                description: reason ?? "by the operator"
            )
            let outcome = try await store.ledger.post([posting], now: now)
            if case .posted(let transaction) = outcome.first {
                await audit(
                    store,
                    global,
                    "ledger.post",
                    target: "account:\(account)",
                    detail: "\(type.rawValue) \(amount.plainText) \(transaction.currency.rawValue), transaction \(transaction.id)"
                )
            }
            return outcome
        }
        switch outcome.first {
        case .posted(let transaction), .repeated(let transaction): printJSON(TransactionRecord(transaction))
        case .refused(let error): throw ValidationError("\(error)")
        case nil: throw ValidationError("nothing was posted")
        }
    }

    /// A positive amount as typed on the command line.
    static func positiveAmount(_ text: String, name: String) throws -> Amount {
        guard let amount = try? Amount(parsing: text), amount.units > 0 else {
            throw ValidationError("\(name) '\(text)' is not a positive amount (e.g. 10 or 12.50)")
        }
        return amount
    }

    struct Credit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add money to an account: a top-up (card_payment) unless --type says refund or adjustment."
        )

        @Argument(help: "The account id.") var account: Int64
        @Argument(help: "The amount, in the account's currency (e.g. 25 or 12.50).") var amount: String
        @Option(help: "Why, kept as the transaction's description.") var reason: String?
        @Option(help: "card_payment (default), refund or adjustment.") var type: String = TransactionType.cardPayment.rawValue
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let allowed: [TransactionType] = [.cardPayment, .refund, .adjustment]
            guard let type = TransactionType(rawValue: type), allowed.contains(type) else {
                throw ValidationError("--type '\(type)': one of \(allowed.map(\.rawValue).joined(separator: ", "))")
            }
            try await postOperatorEntry(global, account: account, type: type, amount: try positiveAmount(amount, name: "amount"), reason: reason)
        }
    }

    struct Debit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Take money from an account: an adjustment, allowed below the credit limit (the operator decides)."
        )

        @Argument(help: "The account id.") var account: Int64
        @Argument(help: "The amount to take, positive, in the account's currency.") var amount: String
        @Option(help: "Why, kept as the transaction's description.") var reason: String?
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let taken = try positiveAmount(amount, name: "amount")
            try await postOperatorEntry(global, account: account, type: .adjustment, amount: Amount(units: -taken.units), reason: reason)
        }
    }

    struct SetCreditLimit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-credit-limit",
            abstract: "How far below zero charges may take the balance (0: prepaid)."
        )

        @Argument(help: "The account id.") var account: Int64
        @Argument(help: "The limit, zero or more, in the account's currency.") var limit: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            guard let value = try? Amount(parsing: limit), value.units >= 0 else {
                throw ValidationError("limit '\(limit)' is not zero or a positive amount")
            }
            let balance = try await withStore(global) { store in
                guard try await store.ledger.setCreditLimit(accountID: account, to: value) else { throw ValidationError("no account \(account)") }
                await audit(store, global, "credit_limit.set", target: "account:\(account)", detail: "credit limit \(value.plainText)")
                return try await store.ledger.balance(accountID: account)
            }
            if let balance { printJSON(BalanceRecord(balance)) }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "An account: its currency, balance and credit limit.")

        @Argument(help: "The account id.") var account: Int64
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let balance = try await withStore(global) { store in
                guard let balance = try await store.ledger.balance(accountID: account) else { throw ValidationError("no account \(account)") }
                return balance
            }
            printJSON(BalanceRecord(balance))
        }
    }

    struct Transactions: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "An account's transactions, oldest first.")

        @Argument(help: "The account id.") var account: Int64
        @Option(help: "Only those performed at or after this date or instant (2026-11-01, 2026-11-01T12:00:00Z).") var since: String?
        @Option(help: "Only those performed before this date or instant.") var until: String?
        @Option(help: "Only this type (resource_charge, card_payment, ...); repeat for several.") var type: [String] = []
        @Option(help: "table (default), csv or json.") var format: String = "table"
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            guard ["table", "csv", "json"].contains(format) else { throw ValidationError("--format '\(format)': table, csv or json") }
            var types: Set<TransactionType>?
            if !type.isEmpty {
                types = Set(
                    try type.map { name in
                        guard let type = TransactionType(rawValue: name) else {
                            throw ValidationError("--type '\(name)': one of \(TransactionType.allCases.map(\.rawValue).joined(separator: ", "))")
                        }
                        return type
                    }
                )
            }
            let from = try since.map { text in
                do { return try Instant(parsing: text) } catch { throw ValidationError("--since '\(text)': \(error)") }
            }
            let to = try until.map { text in
                do { return try Instant(parsing: text) } catch { throw ValidationError("--until '\(text)': \(error)") }
            }
            let transactions = try await withStore(global) { store in
                guard try await store.accounts.account(id: account) != nil else { throw ValidationError("no account \(account)") }
                var rows: [LedgerTransaction] = []
                var offset = 0
                while true {
                    let page = try await store.ledger.transactions(
                        TransactionQuery(accountID: account, types: types, from: from, until: to, offset: offset, limit: 10_000)
                    )
                    rows += page.transactions
                    offset += page.transactions.count
                    if page.transactions.isEmpty || offset >= page.totalCount { return rows }
                }
            }
            let rows = transactions.map(TransactionRecord.init)
            switch format {
            case "json": printJSON(rows)
            case "csv": print(TransactionCSV.header + transactions.map(TransactionCSV.line).joined(), terminator: "")
            default:
                guard !rows.isEmpty else { return print("no transactions") }
                print(
                    table(
                        rows.map { [String($0.id), $0.performedAt, $0.type, $0.amount, $0.balanceAfter, $0.currency, $0.description] },
                        header: ["id", "performed", "type", "amount", "balance", "currency", "description"]
                    )
                )
            }
        }
    }
}
