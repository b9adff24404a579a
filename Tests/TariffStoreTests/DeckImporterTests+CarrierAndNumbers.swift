import Foundation
import Logging
import TariffCore
import Testing

@testable import TariffStore

extension DeckImporterTests {
    @Test("a carrier deck flagged Decrease with a higher rate fails and stores nothing")
    func carrierDecreaseCheck() async throws {
        try await withImportFixture { fixture in
            let first = try fixture.write(
                "carrier-1.csv",
                """
                # ACME Carrier rate notice
                # All rates in USD per minute
                Code,Destination,Rate,Effective Date,Billing Increment,Change
                34612,Spain Mobile Syma,0.0500,2026-01-01,60/60,New
                3491,Spain Madrid,0.0100,2026-01-01,60-60,New

                """
            )
            let outcome = try await fixture.importRates(first, kind: .carrier, currency: currency("USD"), origin: .international)
            #expect(outcome.summary.new == 2)
            let before = try await fixture.snapshot()
            #expect(before.rates.allSatisfy { $0.key.product == .voiceOutbound && $0.terms?.currency == currency("USD") })

            let wrong = try fixture.write(
                "carrier-2.csv",
                """
                Code,Destination,Rate,Effective Date,Change
                34612,Spain Mobile Syma,0.0600,2026-11-20,Decrease
                3491,Spain Madrid,0.0100,2026-11-20,Unchanged

                """
            )
            let failure = try #require(
                await importFailure {
                    try await fixture.importRates(wrong, kind: .carrier, currency: currency("USD"), origin: .international)
                }
            )
            #expect(failure.problems.count == 1)
            #expect(
                failure.problems.first?.description.hasPrefix("\(wrong):2: change: flagged Decrease") == true,
                "got \(failure.description)"
            )
            #expect(try await fixture.snapshot() == before)

            // A true decrease is accepted.
            let right = try fixture.write(
                "carrier-3.csv",
                """
                Code,Destination,Rate,Effective Date,Change
                34612,Spain Mobile Syma,0.0400,2026-11-20,Decrease
                3491,Spain Madrid,0.0100,2026-11-20,Unchanged

                """
            )
            let accepted = try await fixture.importRates(right, kind: .carrier, currency: currency("USD"), origin: .international)
            #expect(accepted.summary.decreased == 1)
            #expect(accepted.summary.unchanged == 1)
            let book = try await fixture.book()
            let quote = try book.quote(number("+34612345678"), product: .voiceOutbound, at: instant("2026-11-20T00:00:01Z"))
            #expect(quote.price == Money(amount("0.04"), currency("USD")))
        }
    }

    @Test("a numbers price list imports subscription prices")
    func numbersImport() async throws {
        try await withImportFixture { fixture in
            let path = try fixture.write(
                "numbers.csv",
                """
                country,category,region_code,region_name,installation_price,monthly_price,currency,incoming_resource,effective_from
                ES,MOBILE,,,1.50,2.00,EUR,PSTN_IN_MOBILE,2026-01-01
                MX,GEOGRAPHIC,55,Mexico City,0,1.25,USD,,2026-01-01
                MX,geographic,,,0,1.75,USD,,2026-01-01

                """
            )
            let outcome = try await fixture.importer.importFile(path: path, options: DeckOptions(kind: .numbers, now: ImportFixture.now))
            let version = try #require(outcome.version)
            #expect(version.kind == "numbers")
            #expect(outcome.summary.new == 3)
            #expect(try await fixture.store.decks.rates(deck: "base").isEmpty)
            let stored = try await fixture.store.decks.numberPrices(deck: "base")
            #expect(stored.count == 3)
            #expect(stored.allSatisfy { $0.deckVersion == version.id })

            let book = try await fixture.book()
            let spain = try #require(book.numberPrice(country: "ES", category: "MOBILE", at: ImportFixture.now))
            #expect(spain.terms?.installation == amount("1.5"))
            #expect(spain.terms?.monthly == amount("2"))
            #expect(spain.terms?.currency == currency("EUR"))
            #expect(spain.terms?.incomingResource == "PSTN_IN_MOBILE")
            let mexicoCity = try #require(book.numberPrice(country: "MX", category: "GEOGRAPHIC", regionCode: "55", at: ImportFixture.now))
            #expect(mexicoCity.terms?.monthly == amount("1.25"))
            #expect(mexicoCity.terms?.regionName == "Mexico City")
            let elsewhere = try #require(book.numberPrice(country: "MX", category: "GEOGRAPHIC", regionCode: "33", at: ImportFixture.now))
            #expect(elsewhere.terms?.monthly == amount("1.75"))
            #expect(book.numberPrice(country: "ES", category: "MOBILE", at: instant("2025-06-01")) == nil)
        }
    }
}
