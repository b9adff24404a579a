import Foundation
import TariffCore
import Testing

@testable import TariffStore

extension StoreContractTests {
    // MARK: Exchange rates

    @Test("exchange rates are stored, listed and replaced per day and pair", arguments: StoreEngine.all)
    func exchangeRates(engine: StoreEngine) async throws {
        try await withStore(engine) { store, _ in
            #expect(try await store.exchangeRates.store([], importedAt: instant("2026-11-20")) == 0)
            let day1 = instant("2026-11-19")
            let day2 = instant("2026-11-20")
            let first = [
                ExchangeRate(date: day1, base: currency("EUR"), quote: currency("USD"), rate: rateValue("1.0524"), source: "ECB"),
                ExchangeRate(date: day1, base: currency("EUR"), quote: currency("GBP"), rate: rateValue("0.83425"), source: "ECB"),
                ExchangeRate(date: day2, base: currency("EUR"), quote: currency("USD"), rate: rateValue("1.0600"), source: "ECB"),
                ExchangeRate(date: day1, base: currency("EUR"), quote: currency("JPY"), rate: rateValue("161.25"), source: "ECB"),
            ]
            #expect(try await store.exchangeRates.store(first, importedAt: instant("2026-11-20T12:00:00Z")) == 4)
            let stored = try await store.exchangeRates.all()
            #expect(Set(stored) == Set(first))
            // The rate keeps the text as written, trailing zeros included.
            #expect(stored.first { $0.date == day2 }?.rate.description == "1.0600")

            // Same (date, base, quote): replaced, not added.
            let replacement = ExchangeRate(date: day1, base: currency("EUR"), quote: currency("USD"), rate: rateValue("1.07"), source: "fx.csv")
            let otherBase = ExchangeRate(date: day1, base: currency("USD"), quote: currency("EUR"), rate: rateValue("0.95"), source: "fx.csv")
            #expect(try await store.exchangeRates.store([replacement, otherBase], importedAt: instant("2026-11-21")) == 2)
            let after = try await store.exchangeRates.all()
            #expect(after.count == 5)
            #expect(Set(after) == Set([replacement, otherBase, first[1], first[2], first[3]]))
            #expect(!after.contains(first[0]))
        }
    }

    @Test("the stamp changes with every store, even a correction at the same instant, and not without one", arguments: StoreEngine.all)
    func stampCountsChanges(engine: StoreEngine) async throws {
        try await withStore(engine) { store, _ in
            let day = instant("2026-11-19")
            let at = instant("2026-11-20T12:00:00Z")
            let empty = try await store.exchangeRates.stamp()
            #expect(try await store.exchangeRates.store([], importedAt: at) == 0)
            #expect(try await store.exchangeRates.stamp() == empty)
            let rate = ExchangeRate(date: day, base: currency("EUR"), quote: currency("USD"), rate: rateValue("1.0524"), source: "ECB")
            _ = try await store.exchangeRates.store([rate], importedAt: at)
            let first = try await store.exchangeRates.stamp()
            #expect(first != empty)
            // The same pair and day, the same count of rows, the same second: still a change.
            let corrected = ExchangeRate(date: day, base: currency("EUR"), quote: currency("USD"), rate: rateValue("1.0525"), source: "ECB")
            _ = try await store.exchangeRates.store([corrected], importedAt: at)
            let second = try await store.exchangeRates.stamp()
            #expect(second != first && second != empty)
            #expect(try await store.exchangeRates.stamp() == second)
        }
    }
}
