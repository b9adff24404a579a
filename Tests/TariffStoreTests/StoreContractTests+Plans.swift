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
