import Foundation
import TariffCore
import Testing

@testable import TariffStore

extension StoreContractTests {
    // MARK: Price plans: versions only added, and the plan each account is on

    static func planVersion(_ plan: String, from: String, rules: String = "markup_percent\n10\n") -> NewPlanVersion {
        NewPlanVersion(
            plan: plan,
            effectiveFrom: instant(from),
            rules: rules,
            minimumPrice: amount("0.001"),
            minimumMargin: .zero,
            rounding: Rounding(decimals: 4, mode: .halfEven)
        )
    }

    @Test("plan versions are stored as given, in order, and are never changed", arguments: StoreEngine.all)
    func planVersions(engine: StoreEngine) async throws {
        try await withStore(engine) { store, _ in
            #expect(try await store.plans.versions().isEmpty)
            let before = try await store.plans.stamp()
            let first = try await store.plans.add(Self.planVersion("gold", from: "2026-11-01"), now: instant("2026-10-30"))
            let second = try await store.plans.add(
                Self.planVersion("gold", from: "2026-12-01", rules: "product,origin,markup_fixed\nsms-outbound,eea,0.002\n"),
                now: instant("2026-10-31")
            )
            let silver = try await store.plans.add(Self.planVersion("silver", from: "2026-11-01"), now: instant("2026-10-31"))
            #expect(first.id < second.id && second.id < silver.id)
            #expect(try await store.plans.stamp() != before)
            let stored = try await store.plans.versions()
            #expect(stored == [first, second, silver])
            #expect(stored[1].version.rules == "product,origin,markup_fixed\nsms-outbound,eea,0.002\n")
            #expect(stored[0].version.rounding == Rounding(decimals: 4, mode: .halfEven))
            #expect(stored[0].version.minimumPrice == amount("0.001"))
            let reference = try await store.reference.tables().compile()
            let gold = try #require(try await store.plans.schedule(named: "gold", reference: reference))
            #expect(gold.version(at: instant("2026-11-15"))?.id == first.id)
            #expect(gold.version(at: instant("2026-12-01"))?.plan.rules.first?.origin == .eea)
            #expect(try await store.plans.schedule(named: "bronze", reference: reference) == nil)
            for statement in ["UPDATE plan_versions SET rules = 'x'", "DELETE FROM plan_versions"] {
                await #expect(throws: (any Error).self, "\(statement)") { try await engine.execute(statement, on: store) }
            }
            #expect(try await store.plans.versions() == stored)
        }
    }

    @Test("an account is put on a plan that exists, moved, and taken off; a closed or unknown one is not", arguments: StoreEngine.all)
    func planAssignments(engine: StoreEngine) async throws {
        try await withStore(engine) { store, _ in
            let ana = try await Self.newAccount(store, "ana", key: "k1")
            let bob = try await Self.newAccount(store, "bob", key: "k2")
            _ = try await store.plans.add(Self.planVersion("gold", from: "2026-11-01"), now: instant("2026-10-30"))
            _ = try await store.plans.add(Self.planVersion("silver", from: "2026-11-01"), now: instant("2026-10-30"))
            guard case .refused = try await store.plans.assign(plan: "bronze", accountID: ana.id, now: instant("2026-11-02")) else {
                Issue.record("an account was put on a plan that does not exist")
                return
            }
            #expect(try await store.plans.assign(plan: "gold", accountID: 999, now: instant("2026-11-02")) == .unknownAccount)
            let stamp = try await store.plans.stamp()
            #expect(try await store.plans.assign(plan: "gold", accountID: ana.id, now: instant("2026-11-02")) == .changed(ana))
            #expect(try await store.plans.stamp() != stamp)
            #expect(try await store.plans.assign(plan: "silver", accountID: bob.id, now: instant("2026-11-02")) == .changed(bob))
            #expect(try await store.plans.assignments() == [ana.id: "gold", bob.id: "silver"])
            #expect(try await store.plans.assign(plan: "silver", accountID: ana.id, now: instant("2026-11-03")) == .changed(ana))
            #expect(try await store.plans.assign(plan: nil, accountID: bob.id, now: instant("2026-11-03")) == .changed(bob))
            #expect(try await store.plans.assignments() == [ana.id: "silver"])
            let reference = try await store.reference.tables().compile()
            #expect(try await store.plans.schedule(forAccount: ana.id, reference: reference)?.name == "silver")
            #expect(try await store.plans.schedule(forAccount: bob.id, reference: reference) == nil)
            _ = try await store.accounts.close(accountID: bob.id, now: instant("2026-11-04"))
            guard case .refused = try await store.plans.assign(plan: "gold", accountID: bob.id, now: instant("2026-11-05")) else {
                Issue.record("a closed account was put on a plan")
                return
            }
            #expect(try await store.plans.assignments() == [ana.id: "silver"])
        }
    }
}

extension StoreContractTests {
    /// A usage charge priced through a plan: `price` charged, `cost` recorded beside it.
    static func planCharge(
        _ account: Account,
        _ price: String,
        cost: String?,
        product: String,
        country: String?,
        at: String,
        id: String
    )
        -> LedgerPosting
    {
        var posting = posting(account, .resourceCharge, "-" + price, at: at, reference: id)
        posting.cost = cost.map(amount)
        posting.product = product
        posting.country = country
        return posting
    }

    @Test(
        "the margin report adds up revenue and recorded cost exactly, by account, country or product, per currency and period",
        arguments: StoreEngine.all
    )
    func marginReport(engine: StoreEngine) async throws {
        try await withStore(engine) { store, _ in
            let ana = try await Self.newAccount(store, "ana", key: "k1")
            let bob = try await Self.newAccount(store, "bob", key: "k2")
            guard case .changed(let bobUSD) = try await store.accounts.changeCurrency(accountID: bob.id, to: currency("USD")) else {
                Issue.record("bob's currency did not change")
                return
            }
            for account in [ana, bobUSD] { #expect(try await store.ledger.setCreditLimit(accountID: account.id, to: amount("100"))) }
            let postings = [
                Self.planCharge(ana, "0.0725", cost: "0.065", product: "sms-outbound", country: "ES", at: "2026-11-01", id: "a1"),
                Self.planCharge(ana, "0.0725", cost: "0.065", product: "sms-outbound", country: "ES", at: "2026-11-02", id: "a2"),
                Self.planCharge(ana, "0.048", cost: "0.04", product: "voice-outbound", country: "ES", at: "2026-11-03", id: "a3"),
                Self.planCharge(ana, "0.00000003", cost: "0.00000001", product: "sms-outbound", country: "DE", at: "2026-12-01", id: "a4"),
                // Not through a plan: no cost, left out.
                Self.planCharge(ana, "5", cost: nil, product: "sms-outbound", country: "ES", at: "2026-11-04", id: "a5"),
                Self.planCharge(bobUSD, "0.1", cost: "0.08", product: "sms-outbound", country: "ES", at: "2026-11-05", id: "b1"),
                Self.posting(ana, .cardPayment, "10", at: "2026-11-01"),
            ]
            let outcomes = try await store.ledger.post(postings, now: instant("2026-12-02"))
            #expect(outcomes.allSatisfy { $0.transaction != nil })

            let byAccount = try await store.ledger.margin(MarginQuery(by: .account))
            #expect(byAccount.map(\.key) == [String(ana.id), String(bob.id)])
            // 0.0725 + 0.0725 + 0.048 + 0.00000003 = 0.19300003; cost 0.065 + 0.065 + 0.04 + 0.00000001 = 0.17000001.
            #expect(byAccount[0].revenue == LedgerTotal(amount("0.19300003")) && byAccount[0].cost == LedgerTotal(amount("0.17000001")))
            #expect(byAccount[0].margin == LedgerTotal(amount("0.02300002")) && byAccount[0].charges == 4)
            #expect(byAccount[0].marginPercent == "11.92")
            #expect(byAccount[1].currency == currency("USD") && byAccount[1].margin == LedgerTotal(amount("0.02")))
            // Totals never add euros and dollars.
            #expect(MarginLine.totals(byAccount).map(\.currency) == [currency("EUR"), currency("USD")])

            let byCountry = try await store.ledger.margin(MarginQuery(by: .country))
            #expect(byCountry.map { "\($0.key) \($0.currency.rawValue) \($0.charges)" } == ["DE EUR 1", "ES EUR 3", "ES USD 1"])
            #expect(byCountry[1].revenue == LedgerTotal(amount("0.193")) && byCountry[1].cost == LedgerTotal(amount("0.17")))

            // November only: the December charge is out; `to` is exclusive.
            let november = try await store.ledger.margin(MarginQuery(by: .product, from: instant("2026-11-01"), until: instant("2026-12-01")))
            #expect(
                november.map { "\($0.key) \($0.currency.rawValue) \($0.charges)" } == [
                    "sms-outbound EUR 2", "sms-outbound USD 1", "voice-outbound EUR 1",
                ]
            )
            #expect(november[0].margin == LedgerTotal(amount("0.015")))
            #expect(try await store.ledger.margin(MarginQuery(by: .account, from: instant("2027-01-01"))).isEmpty)
            try await Self.expectLedgerBalances(store, ana)
        }
    }
}
