import Foundation
import Logging
import TariffCore
import Testing

@testable import TariffStore

extension DeckImporterTests {
    @Test("ECB reference rates import, and the table converts with them")
    func exchangeRatesImport() async throws {
        try await withImportFixture { fixture in
            let path = try fixture.write(
                "eurofxref.xml",
                """
                <?xml version="1.0" encoding="UTF-8"?>
                <gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
                  <gesmes:subject>Reference rates</gesmes:subject>
                  <Cube>
                    <Cube time='2026-11-19'>
                      <Cube currency='USD' rate='1.25'/>
                      <Cube currency='GBP' rate='0.8'/>
                    </Cube>
                    <Cube time='2026-11-18'>
                      <Cube currency='USD' rate='1.2'/>
                      <Cube currency='GBP' rate='0.75'/>
                    </Cube>
                  </Cube>
                </gesmes:Envelope>

                """
            )
            let importer = ExchangeRateImporter(store: fixture.store, reference: fixture.reference)
            let dry = try await importer.importFile(path: path, now: ImportFixture.now, dryRun: true)
            #expect(dry.rates.count == 4)
            #expect(try await fixture.store.exchangeRates.all().isEmpty)

            let outcome = try await importer.importFile(path: path, now: ImportFixture.now)
            #expect(outcome.format == ExchangeRateFile.ecbFormat)
            #expect(outcome.rates.count == 4)
            let stored = try await fixture.store.exchangeRates.all()
            #expect(stored.count == 4)
            #expect(stored.allSatisfy { $0.base == currency("EUR") && $0.source == "ECB" })

            let today = ExchangeRateTable(rates: stored, asOf: ImportFixture.now)
            #expect(try today.convert(Money(amount("10"), currency("EUR")), to: currency("USD")) == Money(amount("12.5"), currency("USD")))
            #expect(try today.convert(Money(amount("12.5"), currency("USD")), to: currency("EUR")) == Money(amount("10"), currency("EUR")))
            // Cross rate through the euro: 1.25 USD = 1 EUR = 0.8 GBP.
            #expect(try today.convert(Money(amount("1.25"), currency("USD")), to: currency("GBP")) == Money(amount("0.8"), currency("GBP")))
            #expect(throws: ConversionError.self) { try today.convert(Money(amount("1"), currency("EUR")), to: currency("JPY")) }
            // The day before uses that day's rates.
            let before = ExchangeRateTable(rates: stored, asOf: instant("2026-11-18T12:00:00Z"))
            #expect(try before.convert(Money(amount("10"), currency("EUR")), to: currency("USD")) == Money(amount("12"), currency("USD")))
        }
    }

    @Test("an exchange-rate file with an unknown currency stores nothing")
    func exchangeRatesAllOrNothing() async throws {
        try await withImportFixture { fixture in
            let path = try fixture.write(
                "rates.csv",
                """
                date,base,quote,rate
                2026-11-19,EUR,USD,1.25
                2026-11-19,EUR,QQQ,3.5

                """
            )
            let importer = ExchangeRateImporter(store: fixture.store, reference: fixture.reference)
            let failure = try #require(await importFailure { try await importer.importFile(path: path, now: ImportFixture.now) })
            #expect(failure.problems.map(\.description) == ["\(path):3: quote: unknown currency 'QQQ'"])
            #expect(try await fixture.store.exchangeRates.all().isEmpty)
        }
    }
}
