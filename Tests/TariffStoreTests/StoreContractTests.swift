import Foundation
import TariffCore
import Testing

@testable import TariffStore

// MARK: - Contract

@Suite("Store contract")
struct StoreContractTests {
    // MARK: Migrations

    @Test("migrate creates an empty schema and is idempotent", arguments: StoreEngine.all)
    func migrateIsIdempotent(engine: StoreEngine) async throws {
        try await withStore(engine, migrated: false) { store, _ in
            try await store.migrate()
            try await store.migrate()
            #expect(try await store.reference.isLoaded() == false)
            #expect(try await store.decks.versions(deck: "base").isEmpty)
            #expect(try await store.decks.latestVersion(deck: "base") == nil)
            #expect(try await store.decks.rates(deck: "base").isEmpty)
            #expect(try await store.decks.numberPrices(deck: "base").isEmpty)
            #expect(try await store.exchangeRates.all().isEmpty)

            // Data written between migrations survives another migrate.
            let version = try await store.decks.commit(Self.commit(rates: [Self.fixedRate], numbers: []))
            try await store.migrate()
            #expect(try await store.decks.versions(deck: "base") == [version])
            #expect(try await store.decks.rates(deck: "base").count == 1)
        }
    }

    @Test("a reopened store migrates again without losing data", arguments: StoreEngine.all)
    func migrateAfterReopen(engine: StoreEngine) async throws {
        try await withTemporaryDirectory { directory in
            let first = try await engine.open(in: directory)
            let version: DeckVersion
            do {
                try await first.migrate()
                version = try await first.decks.commit(Self.commit(rates: [Self.fixedRate, Self.prefixRate], numbers: [Self.regionPrice]))
                try await first.close()
            } catch {
                try? await first.close()
                throw error
            }
            let second = try await engine.open(in: directory)
            do {
                try await second.migrate()
                try await second.migrate()
                #expect(try await second.decks.versions(deck: "base") == [version])
                #expect(try await second.decks.rates(deck: "base").count == 2)
                #expect(try await second.decks.numberPrices(deck: "base").count == 1)
                try await second.close()
            } catch {
                try? await second.close()
                throw error
            }
        }
    }
}
