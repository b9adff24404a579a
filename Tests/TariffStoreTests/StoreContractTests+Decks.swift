import Foundation
import TariffCore
import Testing

@testable import TariffStore

extension StoreContractTests {
    // MARK: Decks

    @Test("commit then read back exactly what was committed", arguments: StoreEngine.all)
    func commitRoundTrip(engine: StoreEngine) async throws {
        try await withStore(engine) { store, _ in
            var summary = ChangeSummary()
            summary.new = 4
            summary.closed = 1
            summary.otherTerms = 2
            summary.scheduled = 1
            let rates = [Self.fixedRate, Self.prefixRate, Self.smsRate, Self.inboundRate, Self.closingRate, Self.ancientRate]
            let numbers = [Self.countryPrice, Self.regionPrice, Self.closingPrice]
            let commit = Self.commit(rates: rates, numbers: numbers, rowCount: 9, summary: summary, source: "/decks/first.csv")

            let version = try await store.decks.commitOnLatest(commit)
            #expect(version.id > 0)
            #expect(version.deck == "base")
            #expect(version.kind == "rates")
            #expect(version.source == "/decks/first.csv")
            #expect(version.createdAt == instant("2026-11-20T10:30:00Z"))
            #expect(version.rowCount == 9)
            #expect(version.additions == rates.count + numbers.count)
            #expect(version.summary == summary)
            #expect(version.isDemo == false)

            #expect(try await store.decks.versions(deck: "base") == [version])
            #expect(try await store.decks.latestVersion(deck: "base") == version.id)

            // Every value comes back as committed, with the version the store assigned.
            let storedRates = try await store.decks.rates(deck: "base")
            #expect(storedRates == rates.map { Self.assigning(version.id, to: $0) })
            let prefix = try #require(storedRates.first { $0.key.prefix == "34612" && $0.terms != nil })
            #expect(prefix.terms?.price == amount("0.07"))
            #expect(prefix.terms?.currency == currency("EUR"))
            #expect(prefix.terms?.increment == BillingIncrement(initial: 1, subsequent: 1))
            #expect(prefix.terms?.connectFee == amount("0.01"))
            #expect(prefix.effectiveFrom == instant("2026-01-01"))
            let sms = try #require(storedRates.first { $0.key.product == .smsOutbound })
            #expect(sms.terms?.increment == nil)
            #expect(sms.terms?.price == amount("0.12345678"))
            #expect(sms.terms?.currency == currency("USD"))
            let closing = try #require(storedRates.first { $0.effectiveFrom == instant("2026-12-01") })
            #expect(closing.terms == nil)
            #expect(closing.key == Self.prefixRate.key)
            #expect(storedRates.allSatisfy { $0.deckVersion == version.id })

            let storedNumbers = try await store.decks.numberPrices(deck: "base")
            #expect(storedNumbers == numbers.map { Self.assigning(version.id, to: $0) })
            #expect(storedNumbers.last?.terms == nil)
            #expect(storedNumbers[1].terms?.regionName == "Mexico City")
            #expect(storedNumbers[0].terms?.regionName == nil)
            #expect(storedNumbers[0].terms?.incomingResource == nil)

            // A second version gets a higher id, and reads return both, oldest first.
            let second = try await store.decks.commitOnLatest(Self.commit(rates: [Self.laterFixedRate], numbers: [], isDemo: true))
            #expect(second.id > version.id)
            #expect(second.isDemo)
            #expect(second.additions == 1)
            #expect(try await store.decks.versions(deck: "base") == [version, second])
            #expect(try await store.decks.latestVersion(deck: "base") == second.id)
            let allRates = try await store.decks.rates(deck: "base")
            #expect(allRates == rates.map { Self.assigning(version.id, to: $0) } + [Self.assigning(second.id, to: Self.laterFixedRate)])
            #expect(try await store.decks.numberPrices(deck: "base").count == numbers.count)
        }
    }

    @Test("decks are kept apart", arguments: StoreEngine.all)
    func decksAreSeparate(engine: StoreEngine) async throws {
        try await withStore(engine) { store, _ in
            let base = try await store.decks.commitOnLatest(Self.commit(rates: [Self.fixedRate], numbers: [Self.countryPrice]))
            var other = Self.commit(rates: [Self.smsRate, Self.prefixRate], numbers: [])
            other.deck = "reseller"
            let reseller = try await store.decks.commitOnLatest(other)
            #expect(reseller.id > base.id)
            #expect(reseller.deck == "reseller")

            #expect(try await store.decks.versions(deck: "base") == [base])
            #expect(try await store.decks.versions(deck: "reseller") == [reseller])
            #expect(try await store.decks.latestVersion(deck: "base") == base.id)
            #expect(try await store.decks.latestVersion(deck: "reseller") == reseller.id)
            #expect(try await store.decks.latestVersion(deck: "nobody") == nil)
            #expect(try await store.decks.rates(deck: "base") == [Self.assigning(base.id, to: Self.fixedRate)])
            #expect(try await store.decks.rates(deck: "reseller").count == 2)
            #expect(try await store.decks.numberPrices(deck: "reseller").isEmpty)
            #expect(try await store.decks.rates(deck: "nobody").isEmpty)
        }
    }

    @Test("a commit that fails part-way leaves nothing behind", arguments: StoreEngine.all)
    func failedCommitLeavesNothing(engine: StoreEngine) async throws {
        try await withStore(engine) { store, _ in
            let first = try await store.decks.commitOnLatest(Self.commit(rates: [Self.fixedRate], numbers: [Self.countryPrice]))
            let versionsBefore = try await store.decks.versions(deck: "base")
            let ratesBefore = try await store.decks.rates(deck: "base")
            let numbersBefore = try await store.decks.numberPrices(deck: "base")

            try await engine.rejectNumberPrices(in: store, regionName: "REJECT ME")
            let rejected = NumberPrice(
                key: NumberPriceKey(country: "MX", category: "GEOGRAPHIC", regionCode: "33"),
                effectiveFrom: instant("2026-01-01"),
                terms: NumberPriceTerms(
                    regionName: "REJECT ME",
                    installation: .zero,
                    monthly: amount("1"),
                    currency: currency("USD"),
                    incomingResource: nil
                ),
                deckVersion: 0
            )
            // The version row and the rates are written before the rejected subscription price.
            let failing = Self.commit(rates: [Self.prefixRate, Self.smsRate], numbers: [Self.regionPrice, rejected])
            await #expect(throws: (any Error).self) { try await store.decks.commitOnLatest(failing) }

            #expect(try await store.decks.versions(deck: "base") == versionsBefore)
            #expect(try await store.decks.latestVersion(deck: "base") == first.id)
            #expect(try await store.decks.rates(deck: "base") == ratesBefore)
            #expect(try await store.decks.numberPrices(deck: "base") == numbersBefore)

            // The store still works, and holds nothing of the failed commit.
            let next = try await store.decks.commitOnLatest(Self.commit(rates: [Self.smsRate], numbers: []))
            #expect(next.id > first.id)
            #expect(try await store.decks.versions(deck: "base") == versionsBefore + [next])
            #expect(try await store.decks.rates(deck: "base") == ratesBefore + [Self.assigning(next.id, to: Self.smsRate)])
            #expect(try await store.decks.numberPrices(deck: "base") == numbersBefore)
        }
    }

    @Test("a commit planned against an older version of the deck is refused and stores nothing", arguments: StoreEngine.all)
    func staleCommitRefused(engine: StoreEngine) async throws {
        try await withStore(engine) { store, _ in
            var first = Self.commit(rates: [Self.fixedRate], numbers: [])
            first.basedOn = nil
            let stored = try await store.decks.commit(first)
            // Both planned against the empty deck: the first one stored wins, the other is refused.
            await #expect(throws: StoreError.deckChanged(deck: "base")) { try await store.decks.commit(first) }
            var stale = Self.commit(rates: [Self.smsRate], numbers: [])
            stale.basedOn = stored.id - 1
            await #expect(throws: StoreError.deckChanged(deck: "base")) { try await store.decks.commit(stale) }
            #expect(try await store.decks.versions(deck: "base").map(\.id) == [stored.id])
            #expect(try await store.decks.rates(deck: "base") == [Self.assigning(stored.id, to: Self.fixedRate)])
            // Another deck's versions do not count against this one.
            var other = Self.commit(rates: [Self.smsRate], numbers: [])
            other.deck = "reseller"
            #expect(try await store.decks.commit(other).id > stored.id)
            stale.basedOn = stored.id
            #expect(try await store.decks.commit(stale).id > stored.id)
        }
    }
}
