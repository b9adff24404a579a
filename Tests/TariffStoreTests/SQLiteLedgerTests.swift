import Foundation
import SQLiteNIO
import TariffCore
import Testing

@testable import TariffStore

/// What the SQLite engine itself guarantees of the ledger, beyond the contract.
@Suite("SQLite ledger")
struct SQLiteLedgerTests {
    @Test("the ledger table refuses UPDATE and DELETE: history cannot be rewritten, even by a mistaken statement")
    func appendOnly() async throws {
        try await withStore(.sqlite) { store, _ in
            let sqlite = try #require(store as? SQLiteStore)
            let ana = try await StoreContractTests.newAccount(store, "ana", key: "k1")
            _ = try await store.ledger.post(
                [
                    LedgerPosting(
                        accountID: ana.id,
                        type: .cardPayment,
                        amount: amount("5"),
                        performedAt: instant("2026-11-10"),
                        description: "top-up"
                    )
                ],
                now: instant("2026-11-10")
            )
            for statement in ["UPDATE ledger_transactions SET amount = 1000", "DELETE FROM ledger_transactions"] {
                await #expect(throws: (any Error).self, "\(statement)") {
                    try await sqlite.engine.exclusive { connection in _ = try await connection.query(statement) }
                }
            }
            let entries = try await store.ledger.transactions(TransactionQuery(accountID: ana.id)).transactions
            #expect(entries.map(\.amount) == [amount("5")])
        }
    }
}
