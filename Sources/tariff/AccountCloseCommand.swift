import ArgumentParser
import TariffCore
import TariffStore

extension AccountCommand {
    /// `tariff account close`: the account's keys stop working and charges are refused; its
    /// ledger stays, and top-ups, refunds and adjustments can still pay out what is left.
    struct Close: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Close an account: its keys stop working and charges are refused (cancel its numbers and subscriptions first)."
        )

        @Option(help: "The account's id.")
        var account: Int64

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let closed = try await withStore(global) { store in
                switch try await store.accounts.close(accountID: account, now: try global.now()) {
                case .changed(let closed):
                    await audit(store, global, "account.close", target: "account:\(account)", detail: "closed at \(closed.closedAt?.iso8601 ?? "")")
                    return closed
                case .unknownAccount: throw ValidationError("no account \(account)")
                case .refused(let reason): throw ValidationError(reason)
                }
            }
            print("account \(closed.id) closed at \(closed.closedAt?.iso8601 ?? "-")")
        }
    }
}
