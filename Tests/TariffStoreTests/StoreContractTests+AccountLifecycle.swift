import Foundation
import TariffCore
import Testing

@testable import TariffStore

extension StoreContractTests {
    // MARK: Accounts: more keys, a change of currency, closing; the audit log

    @Test("keys are added to and removed from one account only; removed keys are gone", arguments: StoreEngine.all)
    func accountKeys(engine: StoreEngine) async throws {
        try await withStore(engine) { store, _ in
            let ana = try await Self.newAccount(store, "ana", key: "k1")
            let bob = try await Self.newAccount(store, "bob", key: "k2")
            #expect(try await store.accounts.addCredential(Credentials.make(apiKey: "k3").credential, accountID: ana.id, now: instant("2026-11-02")))
            #expect(try await !store.accounts.addCredential(Credentials.make(apiKey: "k4").credential, accountID: 999, now: instant("2026-11-02")))
            #expect(try await store.accounts.credentials(accountID: ana.id).map(\.apiKey) == ["k1", "k3"])
            #expect(try await store.accounts.credential(apiKey: "k4") == nil)
            // Another account's key is not this account's to remove.
            #expect(try await !store.accounts.removeCredential(apiKey: "k2", accountID: ana.id))
            #expect(try await store.accounts.removeCredential(apiKey: "k3", accountID: ana.id))
            #expect(try await !store.accounts.removeCredential(apiKey: "k3", accountID: ana.id))
            #expect(try await store.accounts.credential(apiKey: "k3") == nil)
            #expect(try await store.accounts.credentials(accountID: bob.id).map(\.apiKey) == ["k2"])
        }
    }

    @Test("the currency changes only on an account without money, numbers or subscriptions", arguments: StoreEngine.all)
    func accountCurrency(engine: StoreEngine) async throws {
        try await withStore(engine) { store, _ in
            let ana = try await Self.newAccount(store, "ana", key: "k1")
            guard case .changed(let changed) = try await store.accounts.changeCurrency(accountID: ana.id, to: currency("USD")) else {
                Issue.record("a fresh account's currency did not change")
                return
            }
            #expect(changed.currency == currency("USD"))
            #expect(try await store.accounts.account(id: ana.id)?.currency == currency("USD"))
            #expect(try await store.ledger.balance(accountID: ana.id)?.currency == currency("USD"))
            #expect(try await store.accounts.changeCurrency(accountID: 999, to: currency("USD")) == .unknownAccount)

            _ = try await store.ledger.post([Self.posting(changed, .cardPayment, "10")], now: instant("2026-11-02"))
            guard case .refused = try await store.accounts.changeCurrency(accountID: ana.id, to: currency("EUR")) else {
                Issue.record("an account with money changed its currency")
                return
            }
            #expect(try await store.accounts.account(id: ana.id)?.currency == currency("USD"))
            // Asking for the currency it already has is not a change.
            #expect(try await store.accounts.changeCurrency(accountID: ana.id, to: currency("USD")) == .changed(changed))
        }
    }

    @Test("a charge priced in the account's former currency is refused, and nothing is recorded", arguments: StoreEngine.all)
    func chargeInFormerCurrency(engine: StoreEngine) async throws {
        try await withStore(engine) { store, _ in
            let ana = try await Self.newAccount(store, "ana", key: "k1")
            _ = try await store.accounts.changeCurrency(accountID: ana.id, to: currency("USD"))
            // Room to charge without money in the ledger (which would fix the currency).
            #expect(try await store.ledger.setCreditLimit(accountID: ana.id, to: amount("10")))
            var charge = Self.posting(ana, .resourceCharge, "-1")
            charge.pricedIn = currency("EUR")
            let outcome = try await store.ledger.post([charge], now: instant("2026-11-02"))
            #expect(outcome == [.refused(.currencyChanged(pricedIn: currency("EUR"), account: currency("USD")))])
            charge.pricedIn = currency("USD")
            guard case .posted = try await store.ledger.post([charge], now: instant("2026-11-02")).first else {
                Issue.record("a charge in the account's currency was refused")
                return
            }
            #expect(try await store.ledger.transactions(TransactionQuery(accountID: ana.id)).totalCount == 1)

            // A rental priced in the former currency rolls back whole: the number stays in stock.
            _ = try await store.numbers.addToStock([Self.stock("34910000001")], now: instant("2026-11-01"))
            let request = RentalRequest(accountID: ana.id, selection: .count(1, country: "ES", category: "GEOGRAPHIC", regionCode: nil))
            await #expect(throws: NumberError.insufficientFunds(.currencyChanged(pricedIn: currency("EUR"), account: currency("USD")))) {
                try await store.numbers.rent(request, now: instant("2026-11-03")) { _ in
                    SubscriptionFees(installation: amount("0"), monthly: amount("1"), note: "test", currency: currency("EUR"))
                }
            }
            #expect(try await store.numbers.available(StockFilter()).total == 1)
        }
    }

    @Test("closing: refused while numbers are rented; then keys stay, charges are refused, operator entries are not", arguments: StoreEngine.all)
    func accountClosing(engine: StoreEngine) async throws {
        try await withStore(engine) { store, _ in
            _ = try await store.numbers.addToStock([Self.stock("34910000001")], now: instant("2026-11-01"))
            let ana = try await Self.newAccount(store, "ana", key: "k1")
            _ = try await store.ledger.post([Self.posting(ana, .cardPayment, "100")], now: instant("2026-11-01"))
            let rented = try #require(try await Self.rent(store, ana, at: "2026-11-03").first)
            guard case .refused(let reason) = try await store.accounts.close(accountID: ana.id, now: instant("2026-11-04")) else {
                Issue.record("an account renting a number was closed")
                return
            }
            #expect(reason.contains("1 number"))
            #expect(try await store.accounts.account(id: ana.id)?.isClosed == false)
            _ = try await store.numbers.cancel(accountID: ana.id, subscriptionIDs: [rented.subscription.id], now: instant("2026-11-05"))

            guard case .changed(let closed) = try await store.accounts.close(accountID: ana.id, now: instant("2026-11-06")) else {
                Issue.record("an account without numbers was not closed")
                return
            }
            #expect(closed.closedAt == instant("2026-11-06"))
            // Closing again keeps the first date.
            #expect(try await store.accounts.close(accountID: ana.id, now: instant("2026-11-07")) == .changed(closed))
            #expect(try await store.accounts.close(accountID: 999, now: instant("2026-11-07")) == .unknownAccount)
            guard case .refused = try await store.accounts.changeCurrency(accountID: ana.id, to: currency("USD")) else {
                Issue.record("a closed account changed its currency")
                return
            }

            let before = try await store.ledger.balance(accountID: ana.id)?.balance
            let charge = try await store.ledger.post([Self.posting(ana, .resourceCharge, "-1")], now: instant("2026-11-08"))
            #expect(charge == [.refused(.closedAccount(ana.id))])
            #expect(try await store.ledger.balance(accountID: ana.id)?.balance == before)
            // What is left can still be paid out.
            guard case .posted = try await store.ledger.post([Self.posting(ana, .adjustment, "-93")], now: instant("2026-11-08")).first else {
                Issue.record("an operator adjustment on a closed account was refused")
                return
            }
            #expect(try await store.ledger.balance(accountID: ana.id)?.balance == LedgerTotal(amount("0")))
            try await Self.expectLedgerBalances(store, ana)
        }
    }

    @Test("closing while charges arrive: each lands before the close or is refused as closed; nothing fails or deadlocks", arguments: StoreEngine.all)
    func closingUnderCharges(engine: StoreEngine) async throws {
        try await withStore(engine) { store, _ in
            let ana = try await Self.newAccount(store, "ana", key: "k1")
            _ = try await store.ledger.post([Self.posting(ana, .cardPayment, "1000")], now: instant("2026-11-01"))
            let outcomes = try await withThrowingTaskGroup(of: [PostingOutcome].self) { group in
                for index in 0..<40 {
                    group.addTask {
                        try await store.ledger.post([Self.posting(ana, .resourceCharge, "-1", reference: "c\(index)")], now: instant("2026-11-02"))
                    }
                    if index == 20 {
                        group.addTask {
                            guard case .changed = try await store.accounts.close(accountID: ana.id, now: instant("2026-11-02")) else {
                                throw StoreError.corrupt("the account was not closed")
                            }
                            return []
                        }
                    }
                }
                var all: [PostingOutcome] = []
                for try await outcome in group { all += outcome }
                return all
            }
            #expect(outcomes.count == 40)
            let posted = outcomes.filter { if case .posted = $0 { true } else { false } }.count
            #expect(outcomes.allSatisfy { if case .posted = $0 { true } else { $0 == .refused(.closedAccount(ana.id)) } })
            #expect(try await store.accounts.account(id: ana.id)?.isClosed == true)
            #expect(try await store.ledger.transactions(TransactionQuery(accountID: ana.id)).totalCount == posted + 1)
            #expect(try await store.ledger.balance(accountID: ana.id)?.balance == LedgerTotal(amount("\(1000 - posted)")))
            try await Self.expectLedgerBalances(store, ana)
        }
    }

    @Test("the audit log appends, pages by id and filters by action and target; it cannot be rewritten", arguments: StoreEngine.all)
    func auditLog(engine: StoreEngine) async throws {
        try await withStore(engine) { store, _ in
            let alice = AuditActor(id: "operator:abc", name: "alice")
            var stored: [AuditEvent] = []
            for (index, (action, target)) in [("account.open", "account:1"), ("api_key.rotate", "account:1"), ("account.close", "account:2")]
                .enumerated()
            {
                let event = AuditEvent(at: instant("2026-11-0\(index + 1)"), actor: alice, action: action, target: target, detail: "d\(index)")
                stored.append(try await store.audit.record(event))
            }
            let ids = stored.compactMap(\.id)
            #expect(ids.count == 3 && ids == ids.sorted() && Set(ids).count == 3)
            #expect(try await store.audit.events(after: 0, limit: 10, action: nil, target: nil) == stored)
            #expect(try await store.audit.events(after: ids[0], limit: 1, action: nil, target: nil) == [stored[1]])
            #expect(try await store.audit.events(after: 0, limit: 10, action: nil, target: "account:1") == Array(stored[0...1]))
            #expect(try await store.audit.events(after: 0, limit: 10, action: "account.close", target: nil) == [stored[2]])
            #expect(try await store.audit.events(after: 0, limit: 10, action: "account.close", target: "account:1").isEmpty)
            #expect(stored[0].actor == alice && stored[0].detail == "d0" && stored[0].at == instant("2026-11-01"))
            for statement in ["UPDATE audit_events SET detail = 'x'", "DELETE FROM audit_events"] {
                await #expect(throws: (any Error).self, "\(statement)") { try await engine.execute(statement, on: store) }
            }
            #expect(try await store.audit.events(after: 0, limit: 10, action: nil, target: nil) == stored)
        }
    }
}
