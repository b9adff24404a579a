import Foundation
import TariffCore
import Testing

@testable import TariffStore

extension StoreContractTests {
    // MARK: Ledger

    static func posting(
        _ account: Account,
        _ type: TransactionType,
        _ text: String,
        at: String = "2026-11-10",
        reference: String? = nil,
        fingerprint: String? = nil
    ) -> LedgerPosting {
        LedgerPosting(
            accountID: account.id,
            type: type,
            amount: amount(text),
            performedAt: instant(at),
            description: "\(type.rawValue) \(text)",
            reference: reference,
            fingerprint: fingerprint
        )
    }

    /// Σ transactions = balance, and every entry's balance_after is the running sum in id order.
    static func expectLedgerBalances(_ store: any TariffStore, _ account: Account, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let page = try await store.ledger.transactions(TransactionQuery(accountID: account.id, limit: Int.max))
        var running = LedgerTotal.zero
        for transaction in page.transactions {
            running = try #require(running.adding(transaction.amount), sourceLocation: sourceLocation)
            #expect(transaction.balanceAfter == running, "entry \(transaction.id)", sourceLocation: sourceLocation)
        }
        let balance = try #require(try await store.ledger.balance(accountID: account.id), sourceLocation: sourceLocation)
        #expect(balance.balance == running, "Σ transactions = balance", sourceLocation: sourceLocation)
        #expect(page.totalCount == page.transactions.count, sourceLocation: sourceLocation)
    }

    @Test("a new account has a zero balance and a zero credit limit; an unknown one has none", arguments: StoreEngine.all)
    func ledgerStartsAtZero(engine: StoreEngine) async throws {
        try await withStore(engine) { store, _ in
            let ana = try await Self.newAccount(store, "ana", key: "k1")
            #expect(
                try await store.ledger.balance(accountID: ana.id)
                    == AccountBalance(accountID: ana.id, currency: currency("EUR"), balance: .zero, creditLimit: .zero)
            )
            #expect(try await store.ledger.balance(accountID: 999) == nil)
            #expect(try await store.ledger.setCreditLimit(accountID: 999, to: amount("5")) == false)
            #expect(try await store.ledger.transactions(TransactionQuery(accountID: ana.id)) == TransactionPage(transactions: [], totalCount: 0))
            let outcomes = try await store.ledger.post(
                [LedgerPosting(accountID: 999, type: .cardPayment, amount: amount("1"), performedAt: instant("2026-11-10"), description: "")],
                now: instant("2026-11-10")
            )
            #expect(outcomes == [.refused(.unknownAccount(999))])
        }
    }

    @Test("top-ups and charges move the balance in the same transaction; a prepaid account cannot go below zero", arguments: StoreEngine.all)
    func ledgerPrepaid(engine: StoreEngine) async throws {
        try await withStore(engine) { store, _ in
            let ana = try await Self.newAccount(store, "ana", key: "k1")
            let now = instant("2026-11-10T12:00:00Z")
            let first = try await store.ledger.post(
                [Self.posting(ana, .cardPayment, "10"), Self.posting(ana, .resourceCharge, "-0.01234567")],
                now: now
            )
            #expect(first.count == 2)
            let charge = try #require(first[1].transaction)
            #expect(charge.balanceAfter == LedgerTotal(amount("9.98765433")))
            #expect(charge.currency == currency("EUR"))
            #expect(charge.recordedAt == now)
            #expect(charge.performedAt == instant("2026-11-10"))

            // 9.98765433 left: a charge of 10 is refused and changes nothing.
            let refused = try await store.ledger.post([Self.posting(ana, .resourceCharge, "-10")], now: now)
            #expect(refused == [.refused(.insufficientFunds(balance: LedgerTotal(amount("9.98765433")), creditLimit: .zero, charge: amount("-10")))])
            // Exactly to zero is allowed.
            let exact = try await store.ledger.post([Self.posting(ana, .subscriptionCharge, "-9.98765433")], now: now)
            #expect(exact.first?.transaction?.balanceAfter == .zero)
            // Money in is always admitted, and an operator's negative adjustment too.
            let adjusted = try await store.ledger.post([Self.posting(ana, .adjustment, "-2"), Self.posting(ana, .refund, "0.5")], now: now)
            #expect(adjusted.compactMap(\.transaction?.balanceAfter) == [LedgerTotal(amount("-2")), LedgerTotal(amount("-1.5"))])
            #expect(try await store.ledger.balance(accountID: ana.id)?.balance == LedgerTotal(amount("-1.5")))
            try await Self.expectLedgerBalances(store, ana)
        }
    }

    @Test("a credit limit lets charges take the balance down to minus the limit, and no further", arguments: StoreEngine.all)
    func ledgerCreditLimit(engine: StoreEngine) async throws {
        try await withStore(engine) { store, _ in
            let ana = try await Self.newAccount(store, "ana", key: "k1")
            #expect(try await store.ledger.setCreditLimit(accountID: ana.id, to: amount("50")))
            await #expect(throws: LedgerError.negativeCreditLimit(amount("-1"))) {
                try await store.ledger.setCreditLimit(accountID: ana.id, to: amount("-1"))
            }
            #expect(try await store.ledger.balance(accountID: ana.id)?.creditLimit == amount("50"))
            let outcomes = try await store.ledger.post(
                [
                    Self.posting(ana, .resourceCharge, "-30"), Self.posting(ana, .resourceCharge, "-20.00000001"),
                    Self.posting(ana, .resourceCharge, "-20"),
                ],
                now: instant("2026-11-10")
            )
            #expect(outcomes[0].transaction?.balanceAfter == LedgerTotal(amount("-30")))
            #expect(
                outcomes[1]
                    == .refused(.insufficientFunds(balance: LedgerTotal(amount("-30")), creditLimit: amount("50"), charge: amount("-20.00000001")))
            )
            #expect(outcomes[2].transaction?.balanceAfter == LedgerTotal(amount("-50")))
            // Lowering the limit below the debt refuses further charges but keeps the debt.
            #expect(try await store.ledger.setCreditLimit(accountID: ana.id, to: .zero))
            #expect(
                try await store.ledger.post([Self.posting(ana, .resourceCharge, "-0.00000001")], now: instant("2026-11-11")).first?.transaction == nil
            )
            // A zero charge (an unanswered call) is recorded even with no money left.
            #expect(try await store.ledger.post([Self.posting(ana, .resourceCharge, "0")], now: instant("2026-11-11")).first?.transaction != nil)
            try await Self.expectLedgerBalances(store, ana)
        }
    }

    @Test("a reference is posted once: a retry gets the first entry, another body under it is a conflict", arguments: StoreEngine.all)
    func ledgerIdempotency(engine: StoreEngine) async throws {
        try await withStore(engine) { store, _ in
            let ana = try await Self.newAccount(store, "ana", key: "k1")
            let bob = try await Self.newAccount(store, "bob", key: "k2")
            _ = try await store.ledger.post(
                [Self.posting(ana, .cardPayment, "10"), Self.posting(bob, .cardPayment, "10")],
                now: instant("2026-11-10")
            )
            let call = Self.posting(ana, .resourceCharge, "-1", reference: "cdr-1", fingerprint: "f1")
            let first = try await store.ledger.post([call], now: instant("2026-11-10"))
            let entry = try #require(first.first?.transaction)
            // Retried in a later batch, and twice within one batch.
            let retried = try await store.ledger.post([call, call], now: instant("2026-11-12"))
            #expect(retried == [.repeated(entry), .repeated(entry)])
            var other = call
            other.amount = amount("-2")
            other.fingerprint = "f2"
            #expect(try await store.ledger.post([other], now: instant("2026-11-12")) == [.refused(.referenceConflict("cdr-1"))])
            // A key is per account: bob may use the same one.
            let bobs = try await store.ledger.post(
                [Self.posting(bob, .resourceCharge, "-1", reference: "cdr-1", fingerprint: "f9")],
                now: instant("2026-11-12")
            )
            #expect(bobs.first?.transaction?.accountID == bob.id)
            // A new key within a batch, twice: recorded once.
            let twice = Self.posting(ana, .resourceCharge, "-1", reference: "cdr-2", fingerprint: "f3")
            let batch = try await store.ledger.post([twice, twice], now: instant("2026-11-12"))
            #expect(batch.count == 2)
            guard case .posted(let posted) = batch[0] else {
                Issue.record("not posted: \(batch[0])")
                return
            }
            #expect(batch[1] == .repeated(posted))
            #expect(try await store.ledger.balance(accountID: ana.id)?.balance == LedgerTotal(amount("8")))
            try await Self.expectLedgerBalances(store, ana)
            try await Self.expectLedgerBalances(store, bob)
        }
    }

    @Test("a refused posting does not stop the others of its batch, and outcomes keep their order", arguments: StoreEngine.all)
    func ledgerBatchOutcomes(engine: StoreEngine) async throws {
        try await withStore(engine) { store, _ in
            let ana = try await Self.newAccount(store, "ana", key: "k1")
            let outcomes = try await store.ledger.post(
                [
                    Self.posting(ana, .cardPayment, "-5"),  // wrong sign
                    Self.posting(ana, .cardPayment, "5"),
                    Self.posting(ana, .resourceCharge, "1"),  // wrong sign
                    Self.posting(ana, .adjustment, "0"),  // changes nothing
                    Self.posting(ana, .resourceCharge, "-6"),  // more than there is
                    Self.posting(ana, .resourceCharge, "-5", reference: ""),  // empty key
                    Self.posting(ana, .resourceCharge, "-5", reference: String(repeating: "x", count: 201)),
                    Self.posting(ana, .resourceCharge, "-5"),
                ],
                now: instant("2026-11-10")
            )
            #expect(outcomes[0] == .refused(.wrongSign(.cardPayment, amount("-5"))))
            #expect(outcomes[1].transaction != nil)
            #expect(outcomes[2] == .refused(.wrongSign(.resourceCharge, amount("1"))))
            #expect(outcomes[3] == .refused(.wrongSign(.adjustment, .zero)))
            #expect(outcomes[4] == .refused(.insufficientFunds(balance: LedgerTotal(amount("5")), creditLimit: .zero, charge: amount("-6"))))
            #expect(outcomes[5] == .refused(.invalidReference(0)))
            #expect(outcomes[6] == .refused(.invalidReference(201)))
            #expect(outcomes[7].transaction?.balanceAfter == .zero)
            #expect(try await store.ledger.transactions(TransactionQuery(accountID: ana.id)).totalCount == 2)
            try await Self.expectLedgerBalances(store, ana)
        }
    }

    @Test("two clients charging the last money at once: one is charged, the other refused", arguments: StoreEngine.all)
    func ledgerConcurrentCharges(engine: StoreEngine) async throws {
        try await withStore(engine) { store, _ in
            let ana = try await Self.newAccount(store, "ana", key: "k1")
            _ = try await store.ledger.post([Self.posting(ana, .cardPayment, "100")], now: instant("2026-11-10"))
            let outcomes = try await withThrowingTaskGroup(of: [PostingOutcome].self) { group in
                for client in 0..<8 {
                    group.addTask {
                        try await store.ledger.post([Self.posting(ana, .resourceCharge, "-60", reference: "c\(client)")], now: instant("2026-11-10"))
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(outcomes.filter { $0.transaction != nil }.count == 1)
            #expect(outcomes.count == 8)
            #expect(try await store.ledger.balance(accountID: ana.id)?.balance == LedgerTotal(amount("40")))
            try await Self.expectLedgerBalances(store, ana)
        }
    }

    @Test("years of VND turnover: the balance passes 64 bits of ten-billionths and still balances exactly", arguments: StoreEngine.all)
    func ledgerHugeTurnover(engine: StoreEngine) async throws {
        try await withStore(engine) { store, _ in
            let vnd = try await store.accounts.create(
                name: "vnd",
                currency: currency("VND"),
                deck: "base",
                credential: Credentials.make(apiKey: "kv", secret: "s").credential,
                now: instant("2026-11-01")
            )
            // The largest single amount, 92 billion dong, 300 times: 2.8 × 10¹³ dong.
            let most = Amount(units: Int64.max)
            let postings = (0..<300).map { _ in
                LedgerPosting(accountID: vnd.id, type: .cardPayment, amount: most, performedAt: instant("2026-11-10"), description: "top-up")
            }
            _ = try await store.ledger.post(postings, now: instant("2026-11-10"))
            _ = try await store.ledger.post(
                [
                    LedgerPosting(
                        accountID: vnd.id,
                        type: .resourceCharge,
                        amount: Amount(units: -7),
                        performedAt: instant("2026-11-10"),
                        description: "call"
                    )
                ],
                now: instant("2026-11-10")
            )
            let balance = try #require(try await store.ledger.balance(accountID: vnd.id)).balance
            #expect(balance.units == Int128(Int64.max) * 300 - 7)
            #expect(balance.units > Int128(Int64.max))
            #expect(balance.plainText == "27670116110564.32742093")
            try await Self.expectLedgerBalances(store, vnd)
        }
    }

    @Test(
        "transactions are read by type, id and date, in either order, a page at a time, with the count of all that match",
        arguments: StoreEngine.all
    )
    func ledgerQueries(engine: StoreEngine) async throws {
        try await withStore(engine) { store, _ in
            let ana = try await Self.newAccount(store, "ana", key: "k1")
            let bob = try await Self.newAccount(store, "bob", key: "k2")
            let days = ["2026-11-01", "2026-11-02", "2026-11-03", "2026-11-04", "2026-11-05"]
            var postings = [Self.posting(ana, .cardPayment, "100", at: days[0]), Self.posting(bob, .cardPayment, "1", at: days[0])]
            postings += days.dropFirst().map { Self.posting(ana, .resourceCharge, "-1", at: $0) }
            let ids = try await store.ledger.post(postings, now: instant("2026-11-06")).compactMap(\.transaction?.id)
            let anas = [ids[0]] + ids[2...]

            let all = try await store.ledger.transactions(TransactionQuery(accountID: ana.id))
            #expect(all.transactions.map(\.id) == anas)
            #expect(all.totalCount == 5)
            let charges = try await store.ledger.transactions(TransactionQuery(accountID: ana.id, types: [.resourceCharge]))
            #expect(charges.transactions.map(\.id) == Array(anas.dropFirst()))
            let window = try await store.ledger.transactions(TransactionQuery(accountID: ana.id, from: instant(days[1]), until: instant(days[3])))
            #expect(window.transactions.map(\.performedAt) == [instant(days[1]), instant(days[2])])
            let page = try await store.ledger.transactions(TransactionQuery(accountID: ana.id, descending: true, offset: 1, limit: 2))
            #expect(page.transactions.map(\.id) == [anas[3], anas[2]])
            #expect(page.totalCount == 5)
            let byID = try await store.ledger.transactions(TransactionQuery(accountID: ana.id, ids: [anas[1], ids[1]]))
            #expect(byID.transactions.map(\.id) == [anas[1]], "bob's entry is not ana's to read")
            #expect(try await store.ledger.transactions(TransactionQuery(accountID: ana.id, offset: 10)).transactions.isEmpty)
        }
    }
}

extension StoreContractTests {
    @Test("operator tokens: shown once, verified by their secret, refused once revoked", arguments: StoreEngine.all)
    func operatorTokens(engine: StoreEngine) async throws {
        try await withStore(engine) { store, _ in
            let (token, text) = try await store.operatorTokens.create(name: "billing", now: instant("2026-11-10"))
            let (other, otherText) = try await store.operatorTokens.create(name: "alice", now: instant("2026-11-11"))
            #expect(text.hasPrefix("tariff_op_\(token.id)_") && token.id != other.id && text != otherText)
            #expect(try await store.operatorTokens.verify(text) == token)
            #expect(try await store.operatorTokens.verify(otherText) == other)
            for wrong in [text + "x", String(text.dropLast()), "tariff_op_\(token.id)_" + String(otherText.split(separator: "_").last!), "", "x"] {
                #expect(try await store.operatorTokens.verify(wrong) == nil, "\(wrong)")
            }
            #expect(try await store.operatorTokens.revoke(id: token.id, now: instant("2026-11-12")))
            #expect(try await store.operatorTokens.revoke(id: token.id, now: instant("2026-11-13")) == false)
            #expect(try await store.operatorTokens.revoke(id: "nope", now: instant("2026-11-13")) == false)
            #expect(try await store.operatorTokens.verify(text) == nil)
            #expect(try await store.operatorTokens.tokens().map(\.revokedAt) == [instant("2026-11-12"), nil])
        }
    }
}
