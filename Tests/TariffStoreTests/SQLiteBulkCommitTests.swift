import Foundation
import TariffCore
import Testing

@testable import TariffStore

/// A bulk commit drops the prefix index and builds it again after its rows, inside its
/// transaction: whether it commits or fails, the index is there afterwards and answers.
@Suite("SQLite bulk commits")
struct SQLiteBulkCommitTests {
    static func rates(_ count: Int, price: Int64) -> [Rate] {
        (0..<count).map { index in
            Rate(
                key: RateKey(product: .voiceOutbound, origin: .any, country: nil, network: nil, prefix: "9\(100_000 + index)", numberType: nil),
                effectiveFrom: instant("2026-01-01"),
                terms: RateTerms(
                    price: Amount(units: price),
                    currency: CurrencyCode("EUR")!,
                    increment: .perMinute,
                    connectFee: Amount(units: 0),
                    description: "bulk",
                    resource: "PSTN_INTERNATIONAL"
                ),
                deckVersion: DeckPlanner.pendingVersion
            )
        }
    }

    func indexExists(_ store: any TariffStore) async throws -> Bool {
        let sqlite = try #require(store as? SQLiteStore)
        return try await !sqlite.engine.select("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'rates_by_prefix'") {
            try $0.text("name")
        }.isEmpty
    }

    @Test("the index survives a bulk commit and a failed one, and finds the rows")
    func indexSurvives() async throws {
        try await withStore(.sqlite) { store, _ in
            _ = try await store.decks.commitOnLatest(StoreContractTests.commit(rates: Self.rates(60_000, price: 1_000_000), numbers: []))
            #expect(try await indexExists(store))
            let found = try await store.decks.rates(deck: "base", product: .voiceOutbound, origin: nil, prefixes: ["9100007", "9159999", "42"])
            #expect(Set(found.compactMap(\.key.prefix)) == ["9100007", "9159999"])

            // Fails after its rates and the index were written: all of it is rolled back.
            try await StoreEngine.sqlite.rejectNumberPrices(in: store, regionName: "refused")
            let refused = NumberPrice(
                key: NumberPriceKey(country: "ES", category: "GEOGRAPHIC", regionCode: nil),
                effectiveFrom: instant("2026-01-01"),
                terms: NumberPriceTerms(
                    regionName: "refused",
                    installation: Amount(units: 0),
                    monthly: Amount(units: 0),
                    currency: CurrencyCode("EUR")!,
                    incomingResource: nil
                ),
                deckVersion: DeckPlanner.pendingVersion
            )
            await #expect(throws: (any Error).self) {
                try await store.decks.commitOnLatest(StoreContractTests.commit(rates: Self.rates(70_000, price: 2_000_000), numbers: [refused]))
            }
            #expect(try await indexExists(store))
            let after = try await store.decks.rates(deck: "base", product: .voiceOutbound, origin: nil, prefixes: ["9100007"])
            #expect(after.map(\.terms?.price) == [Amount(units: 1_000_000)])
        }
    }
}
