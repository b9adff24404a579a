import Foundation
import Logging
import TariffCore
import Testing

@testable import TariffStore

extension DeckImporterTests {
    // MARK: Where the database is

    @Test("--database wins over TARIFF_DATABASE, which wins over ./tariff.sqlite")
    func locationPrecedence() {
        let environment = ["TARIFF_DATABASE": "/srv/env.sqlite"]
        #expect(
            StoreLocation(option: "/srv/option.sqlite", environment: environment) == StoreLocation(option: "/srv/option.sqlite", environment: [:])
        )
        let option = StoreLocation(option: "/srv/option.sqlite", environment: environment)
        #expect(option.path == "/srv/option.sqlite")
        #expect(!option.isDefault)
        let fromEnvironment = StoreLocation(option: nil, environment: environment)
        #expect(fromEnvironment.path == "/srv/env.sqlite")
        #expect(!fromEnvironment.isDefault)
        #expect(StoreLocation(option: "", environment: environment).path == "/srv/env.sqlite")
        let fallback = StoreLocation(option: nil, environment: [:])
        #expect(fallback.path == StoreLocation.defaultPath)
        #expect(fallback.path == "./tariff.sqlite")
        #expect(fallback.isDefault)
        #expect(StoreLocation(option: nil, environment: ["TARIFF_DATABASE": ""]).isDefault)
        #expect(StoreLocation(option: "", environment: [:]).isDefault)
    }

    @Test("a database named explicitly starts with reference data and no prices")
    func explicitDatabaseHasNoDemo() async throws {
        try await withTemporaryDirectory { directory in
            let paths = [
                StoreLocation(option: directory.appendingPathComponent("option.sqlite").path, environment: [:]),
                StoreLocation(option: nil, environment: ["TARIFF_DATABASE": directory.appendingPathComponent("env.sqlite").path]),
            ]
            for location in paths {
                #expect(!location.isDefault)
                let store = try await location.open(logger: ImportFixture.logger, now: ImportFixture.now)
                do {
                    #expect(FileManager.default.fileExists(atPath: location.path))
                    #expect(try await store.reference.isLoaded())
                    #expect(try await store.decks.versions(deck: "base").isEmpty)
                    #expect(try await store.decks.numberPrices(deck: "base").isEmpty)
                    #expect(try await store.exchangeRates.all().isEmpty)
                    try await store.close()
                } catch {
                    try? await store.close()
                    throw error
                }
            }
        }
    }

    @Test("reopening a database keeps its data and loads nothing twice")
    func reopenKeepsData() async throws {
        try await withTemporaryDirectory { directory in
            let location = StoreLocation(option: directory.appendingPathComponent("t.sqlite").path, environment: [:])
            let store = try await location.open(logger: ImportFixture.logger, now: ImportFixture.now)
            let version: DeckVersion
            let reference: ReferenceTables
            do {
                let compiled = try await store.reference.tables().compile()
                let path = directory.appendingPathComponent("deck.csv")
                try Data(Self.deck.utf8).write(to: path)
                let outcome = try await DeckImporter(store: store, reference: compiled, logger: ImportFixture.logger)
                    .importFile(path: path.path, options: DeckOptions(now: ImportFixture.now))
                version = try #require(outcome.version)
                reference = try await store.reference.tables()
                try await store.close()
            } catch {
                try? await store.close()
                throw error
            }
            let again = try await location.open(logger: ImportFixture.logger, now: ImportFixture.now)
            do {
                #expect(try await again.decks.versions(deck: "base") == [version])
                #expect(try await again.reference.tables().ranges.count == reference.ranges.count)
                try await again.close()
            } catch {
                try? await again.close()
                throw error
            }
        }
    }

    @Test("the demo deck, which only the default database gets, loads as demo versions")
    func demoDeckLoads() async throws {
        try await withImportFixture { fixture in
            try await DemoDeck.load(into: fixture.store, logger: ImportFixture.logger, now: ImportFixture.now)
            let versions = try await fixture.store.decks.versions(deck: "base")
            #expect(versions.count == (try DemoDeck.files()).count)
            #expect(versions.allSatisfy { $0.isDemo })
            #expect(!(try await fixture.store.exchangeRates.all()).isEmpty)
            let book = try await fixture.book()
            let quote = try book.quote(number("+34612345678"), product: .voiceOutbound, at: ImportFixture.now)
            #expect(quote.price.amount > .zero)
            #expect(quote.destination.country?.iso2 == "ES")
        }
    }

    @Test("a database URL the engines do not support is refused")
    func unsupportedURL() async throws {
        let location = StoreLocation(option: "postgres://localhost/tariff", environment: [:])
        await #expect(throws: StoreError.unsupportedURL("postgres://localhost/tariff")) {
            _ = try await location.open(logger: ImportFixture.logger, now: ImportFixture.now)
        }
    }
}
