import Foundation
import SQLiteNIO
import Testing

@testable import TariffCore
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

    static func explanation(to: String, seconds: Int, row: String) -> ChargeExplanation {
        ChargeExplanation(
            product: "voice-outbound",
            to: to,
            from: nil,
            occurredAt: "2026-11-10T00:00:00Z",
            quantity: seconds,
            unit: "seconds",
            billedSeconds: 60,
            list: "any",
            row: row,
            matchedBy: "prefix 34",
            deckVersion: 3,
            effectiveFrom: "2026-01-01T00:00:00Z",
            price: "0.02",
            priceCurrency: "EUR",
            increment: "60/60",
            connectFee: "0",
            cost: "0.02",
            rounding: "8 decimals, up",
            exchangeRates: [ChargeExplanation.RateUsed(date: "2026-01-01", base: "EUR", quote: "USD", rate: "1.17", source: "ECB")],
            conversionRounding: "8 decimals, half-even",
            amount: "0.0234",
            currency: "USD"
        )
    }

    @Test("charges priced by one row store its part of the explanation once; every entry, old form or new, reads back whole")
    func sharedExplanations() async throws {
        try await withStore(.sqlite) { store, _ in
            let sqlite = try #require(store as? SQLiteStore)
            let ana = try await StoreContractTests.newAccount(store, "ana", key: "k1")
            _ = try await store.ledger.post([StoreContractTests.posting(ana, .cardPayment, "10")], now: instant("2026-11-10"))
            let explanations = [
                Self.explanation(to: "+34911234567", seconds: 61, row: "voice-outbound/any ES prefix 34"),
                Self.explanation(to: "+34911234568", seconds: 5, row: "voice-outbound/any ES prefix 34"),
                Self.explanation(to: "+34611234567", seconds: 61, row: "voice-outbound/any ES prefix 346"),
            ]
            let postings = explanations.enumerated().map { index, explanation in
                LedgerPosting(
                    accountID: ana.id,
                    type: .resourceCharge,
                    amount: amount("-0.0234"),
                    performedAt: instant("2026-11-10"),
                    description: "call \(index)",
                    reference: "call-\(index)",
                    fingerprint: "f\(index)",
                    explanation: explanation
                )
            }
            let first = try await store.ledger.post(postings, now: instant("2026-11-10"))
            #expect(first.map(\.transaction?.explanation) == explanations)
            // A retry reads the entries back from the database.
            let retried = try await store.ledger.post(postings, now: instant("2026-11-11"))
            #expect(retried.map(\.transaction?.explanation) == explanations)
            let bases = try await sqlite.engine.select("SELECT COUNT(*) AS n FROM charge_bases") { try $0.int("n") }
            #expect(bases == [2])
            // An entry from before the bases existed keeps its whole explanation in its row.
            let old = Self.explanation(to: "+34911234569", seconds: 1, row: "voice-outbound/any ES prefix 34")
            try await sqlite.engine.exclusive { connection in
                _ = try await connection.query(
                    """
                    INSERT INTO ledger_transactions (account_id, type, amount, currency, performed_at, recorded_at, description,
                    balance_after, explanation) VALUES (?, 'resource_charge', 0, 'USD', 0, 0, 'old', '0', ?)
                    """,
                    [.integer(SQLiteInt64(ana.id)), .text(old.jsonText)]
                )
            }
            let listed = try await store.ledger.transactions(TransactionQuery(accountID: ana.id, limit: 10)).transactions
            #expect(listed.compactMap(\.explanation) == explanations + [old])
        }
    }
}
