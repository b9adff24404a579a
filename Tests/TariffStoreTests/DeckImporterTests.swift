import Foundation
import Logging
import TariffCore
import Testing

@testable import TariffStore

@Suite("DeckImporter")
struct DeckImporterTests {
    static let deck = """
        # Tariff test deck: a notice block carriers put at the top
        product,country,network,prefix,number_type,origin,price,currency,increment,connect_fee,effective_from,description
        voice-outbound,ES,,,,international,0.02,EUR,60/60,0,2026-01-01,Spain Fixed
        voice-outbound,ES,,,mobile,international,0.06,EUR,60/60,0,2026-01-01,Spain Mobile
        voice-outbound,ES,21407,,mobile,international,0.055,EUR,60/60,0,2026-01-01,Spain Mobile Movistar
        voice-outbound,,,34612,,international,0.07,EUR,1/1,0.01,2026-01-01,"Spain Mobile, Syma"
        voice-outbound,FR,,,,international,0.03,EUR,60/60,0,2026-01-01,France
        sms-outbound,ES,,,,any,0.045,EUR,,,2026-01-01,Spain SMS

        """

    @Test("a good deck creates a version that prices numbers as the deck says")
    func importsAndPrices() async throws {
        try await withImportFixture { fixture in
            #expect(try await fixture.store.decks.versions(deck: "base").isEmpty, "an explicitly named database starts without prices")
            let outcome = try await fixture.importRates(try fixture.write("deck.csv", Self.deck))
            let version = try #require(outcome.version)
            #expect(outcome.rowCount == 6)
            #expect(outcome.additions == 6)
            #expect(outcome.summary.new == 6)
            #expect(version.additions == 6)
            #expect(version.kind == "rates")
            #expect(version.createdAt == ImportFixture.now)
            #expect(!version.isDemo)
            #expect(try await fixture.store.decks.versions(deck: "base") == [version])
            #expect(try await fixture.store.decks.latestVersion(deck: "base") == version.id)

            let book = try await fixture.book()
            #expect(book.version == version.id)
            let syma = try book.quote(number("+34612345678"), product: .voiceOutbound, at: ImportFixture.now)
            #expect(syma.price == Money(amount("0.07"), currency("EUR")))
            #expect(syma.match == .prefix("34612"))
            #expect(syma.terms.increment == .perSecond)
            #expect(syma.terms.connectFee == amount("0.01"))
            #expect(syma.terms.description == "Spain Mobile, Syma")
            #expect(syma.terms.resource == "PSTN_INTERNATIONAL")
            #expect(syma.rate.effectiveFrom == instant("2026-01-01"))
            #expect(syma.rate.deckVersion == version.id)

            let movistar = try book.quote(number("+34616123456"), product: .voiceOutbound, at: ImportFixture.now)
            #expect(movistar.price.amount == amount("0.055"))
            #expect(movistar.match == .network("21407", name: "Movistar"))
            let madrid = try book.quote(number("+34911234567"), product: .voiceOutbound, at: ImportFixture.now)
            #expect(madrid.price.amount == amount("0.02"))
            #expect(madrid.match == .country("ES"))
            let sms = try book.quote(number("+34612345678"), product: .smsOutbound, at: ImportFixture.now)
            #expect(sms.price.amount == amount("0.045"))
            #expect(sms.terms.increment == nil)
            #expect(sms.terms.resource == "SMSOUT")
            // Before the deck's effective date nothing is priced.
            #expect(throws: RatingError.self) { try book.quote(number("+34612345678"), product: .voiceOutbound, at: instant("2025-12-31")) }
        }
    }

    @Test("a bad file stores nothing and names every problem as FILE:LINE: column: problem", arguments: BadDeck.all)
    func badFileStoresNothing(bad: BadDeck) async throws {
        try await withImportFixture { fixture in
            _ = try await fixture.importRates(try fixture.write("deck.csv", Self.deck))
            let before = try await fixture.snapshot()
            try #require(!before.rates.isEmpty)

            let path = try fixture.write("bad.csv", bytes: bad.bytes)
            let failure = try #require(await importFailure { try await fixture.importRates(path) })
            #expect(failure.file == path)
            #expect(!failure.problems.isEmpty)
            #expect(failure.total == failure.problems.count)
            let expected = "\(path):\(bad.line): \(bad.column): "
            #expect(
                failure.problems.contains { $0.description.hasPrefix(expected) && $0.message.contains(bad.message) },
                "expected a problem starting '\(expected)' about \"\(bad.message)\", got:\n\(failure.description)"
            )
            for problem in failure.problems {
                #expect(problem.file == path)
                #expect(problem.description == "\(path):\(problem.line): \(problem.column): \(problem.message)")
                #expect(!problem.column.isEmpty && !problem.message.isEmpty)
            }
            #expect(failure.description.hasSuffix("nothing was imported"))

            let after = try await fixture.snapshot()
            #expect(after == before)
            #expect(after.text == before.text)
        }
    }

    @Test("every bad row of a file is reported, not only the first")
    func everyProblemReported() async throws {
        try await withImportFixture { fixture in
            let path = try fixture.write(
                "bad.csv",
                """
                product,country,price,currency
                voice-outbound,ES,abc,EUR
                voice-outbound,QQ,0.1,EUR
                voice-outbound,FR,0.1,XYZ

                """
            )
            let failure = try #require(await importFailure { try await fixture.importRates(path) })
            #expect(failure.problems.map { "\($0.line) \($0.column)" } == ["2 price", "3 country", "4 currency"])
            #expect(try await fixture.store.decks.versions(deck: "base").isEmpty)
        }
    }

    @Test("a dry run returns the summary and stores nothing")
    func dryRunStoresNothing() async throws {
        try await withImportFixture { fixture in
            let before = try await fixture.snapshot()
            let outcome = try await fixture.importRates(try fixture.write("deck.csv", Self.deck), dryRun: true)
            #expect(outcome.version == nil)
            #expect(outcome.rowCount == 6)
            #expect(outcome.additions == 6)
            #expect(outcome.summary.new == 6)
            #expect(try await fixture.snapshot() == before)
            #expect(try await fixture.store.decks.latestVersion(deck: "base") == nil)

            // A dry run against a stored deck reports the changes it would make.
            _ = try await fixture.importRates(try fixture.write("deck.csv", Self.deck))
            let stored = try await fixture.snapshot()
            let changed = Self.deck.replacingOccurrences(of: "0.07,EUR", with: "0.08,EUR")
            let second = try await fixture.importRates(try fixture.write("changed.csv", changed), dryRun: true)
            #expect(second.version == nil)
            #expect(second.summary.increased == 1)
            #expect(second.summary.unchanged == 5)
            #expect(second.additions == 1)
            #expect(try await fixture.snapshot() == stored)
        }
    }
}
