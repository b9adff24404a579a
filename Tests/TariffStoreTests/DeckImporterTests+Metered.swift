import Foundation
import Logging
import TariffCore
import Testing

@testable import TariffStore

extension DeckImporterTests {
    static let meteredHeader = "product,variant,country,unit,price,per,minimum,increment,connect_fee,currency,effective_from\n"

    @Test("metered products import beside calls, as complete lists per product: a new file closes the variants it omits")
    func meteredLists() async throws {
        try await withImportFixture { fixture in
            let first = try fixture.write(
                "m1.csv",
                Self.meteredHeader + """
                    tts,,,character,4,1000000,,,,USD,2026-01-01
                    tts,neural,,character,16,1000000,,,,USD,2026-01-01
                    asr,,,second,0.016,60,15,15/15,,USD,2026-01-01

                    """
            )
            let outcome = try await fixture.importRates(first)
            #expect(outcome.summary.new == 3)
            #expect(outcome.additions == 3)
            #expect(try await fixture.importRates(first).additions == 0)

            // tts again without its neural variant and with a dearer default: asr is not in the file and keeps its price.
            let second = try fixture.write("m2.csv", Self.meteredHeader + "tts,,,character,5,1000000,,,,USD,2026-12-01\n")
            let changed = try await fixture.importRates(second)
            #expect(changed.summary.increased == 1)
            #expect(changed.summary.closed == 1)
            let book = try await fixture.book()
            let later = instant("2026-12-02T00:00:00Z")
            #expect(try book.services.quote(product: "tts", variant: "neural", country: nil, at: later).matchedBy == "product")
            #expect(try book.services.quote(product: "tts", variant: nil, country: nil, at: later).terms.price == amount("5"))
            #expect(
                try book.services.quote(product: "tts", variant: "neural", country: nil, at: instant("2026-11-30T00:00:00Z")).terms.price
                    == amount("16")
            )
            #expect(try book.services.quote(product: "asr", variant: nil, country: nil, at: later).terms.minimum == 15)

            // The book built incrementally (as a running server applies a new version) is the compiled one.
            let third = try fixture.write("m3.csv", Self.meteredHeader + "asr,,ES,second,0.01,60,,,,USD,2026-12-01\n")
            _ = try await fixture.importer.importFile(path: third, options: DeckOptions(partial: true, now: ImportFixture.now))
            let updated = try #require(try await RateBookLoader.update(book, store: fixture.store))
            let compiled = try await fixture.book()
            #expect(updated.services.prices == compiled.services.prices)
            #expect(try updated.services.quote(product: "asr", variant: nil, country: "ES", at: later).matchedBy == "country")
            #expect(try updated.services.quote(product: "asr", variant: nil, country: nil, at: later).terms.price == amount("0.016"))
        }
    }

    @Test("a deck mixing calls and metered products imports all or nothing, with FILE:LINE")
    func meteredAllOrNothing() async throws {
        try await withImportFixture { fixture in
            let good = try fixture.write(
                "mixed.csv",
                """
                product,country,price,currency,unit,per
                voice-outbound,ES,0.02,EUR,,
                tts,,4,USD,character,1000000

                """
            )
            let outcome = try await fixture.importRates(good)
            #expect(outcome.summary.new == 2)
            let before = try await fixture.snapshot()
            #expect(before.services.count == 1 && before.rates.count == 1)

            let bad = try fixture.write(
                "mixed-bad.csv",
                """
                product,country,price,currency,unit,per
                voice-outbound,ES,0.03,EUR,,
                tts,,5,USD,character,0

                """
            )
            let failure = try #require(await importFailure { try await fixture.importRates(bad) })
            #expect(failure.problems.map(\.description) == ["\(bad):3: per: '0' is not a whole number from 1 to 1000000000"])
            #expect(try await fixture.snapshot() == before)
        }
    }

    @Test("the book file keeps metered prices: a server started from it prices them as one compiled from the store")
    func meteredBookFile() async throws {
        try await withImportFixture { fixture in
            let path = try fixture.write("m.csv", Self.meteredHeader + "asr,,,second,0.016,60,15,15/15,0.001,USD,2026-01-01\n")
            _ = try await fixture.importRates(path)
            let loaded = try await RateBookLoader.loadUsingFile(store: fixture.store, reference: fixture.reference, logger: ImportFixture.logger)
            let file = try #require(fixture.store.bookFilePath(deck: "base"))
            #expect(FileManager.default.fileExists(atPath: file))
            let fromFile = try RateBookFile.read(
                path: file,
                deck: "base",
                versions: try await fixture.store.decks.versions(deck: "base"),
                reference: fixture.reference
            )
            #expect(fromFile.services.prices == loaded.services.prices)
            #expect(fromFile.services.prices.first?.terms?.setupFee == amount("0.001"))
        }
    }
}
