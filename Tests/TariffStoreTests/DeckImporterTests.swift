import Foundation
import Logging
import TariffCore
@testable import TariffStore
import Testing

/// A fresh database opened the way the CLI opens an explicitly named one: reference data
/// loaded, no prices.
struct ImportFixture {
    let directory: URL
    let store: any TariffStore
    let reference: ReferenceData
    static let now = instant("2026-11-20T00:00:00Z")
    static let logger = Logger(label: "tariff.tests")

    var importer: DeckImporter { DeckImporter(store: store, reference: reference, logger: Self.logger) }

    /// Writes `text` (UTF-8) to a file of the temporary directory and returns its path.
    func write(_ name: String, _ text: String) throws -> String {
        try write(name, bytes: Array(text.utf8))
    }

    func write(_ name: String, bytes: [UInt8]) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    func importRates(_ path: String, kind: DeckKind = .rates, currency: CurrencyCode? = nil, origin: OriginScope? = nil,
                     now: Instant = now, dryRun: Bool = false) async throws -> ImportOutcome {
        try await importer.importFile(path: path, options: DeckOptions(kind: kind, currency: currency, origin: origin, now: now), dryRun: dryRun)
    }

    func book() async throws -> RateBook { try await RateBookLoader.load(store: store, reference: reference) }

    /// Everything a failed import must leave as it was.
    func snapshot() async throws -> StoreSnapshot {
        StoreSnapshot(
            versions: try await store.decks.versions(deck: "base"), latest: try await store.decks.latestVersion(deck: "base"),
            rates: try await store.decks.rates(deck: "base"), numbers: try await store.decks.numberPrices(deck: "base"),
            exchangeRates: try await store.exchangeRates.all()
        )
    }
}

struct StoreSnapshot: Equatable {
    let versions: [DeckVersion]
    let latest: Int64?
    let rates: [Rate]
    let numbers: [NumberPrice]
    let exchangeRates: [ExchangeRate]

    /// The rows as text, to compare field by field when equality fails.
    var text: String { "\(versions)\n\(latest as Any)\n\(rates)\n\(numbers)\n\(exchangeRates)" }
}

func withImportFixture(_ body: (ImportFixture) async throws -> Void) async throws {
    try await withTemporaryDirectory { directory in
        let location = StoreLocation(option: directory.appendingPathComponent("t.sqlite").path, environment: [:])
        let store = try await location.open(logger: ImportFixture.logger, now: ImportFixture.now)
        do {
            let reference = try await store.reference.tables().compile()
            try await body(ImportFixture(directory: directory, store: store, reference: reference))
            try await store.close()
        } catch {
            try? await store.close()
            throw error
        }
    }
}

/// The failure an import throws; records an issue if it succeeds or throws something else.
func importFailure(
    sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Any
) async -> ImportFailure? {
    do {
        let result = try await body()
        Issue.record("the import succeeded: \(result)", sourceLocation: sourceLocation)
    } catch let failure as ImportFailure {
        return failure
    } catch {
        Issue.record("expected an ImportFailure, got \(type(of: error)): \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

func number(_ text: String) -> PhoneNumber {
    do { return try PhoneNumber(parsing: text) } catch { fatalError("bad number in a test: \(text)") }
}

/// A bad file, and the problem it must be reported with.
struct BadDeck: Sendable, CustomTestStringConvertible {
    let name: String
    let bytes: [UInt8]
    let line: Int
    let column: String
    let message: String

    var testDescription: String { name }

    static let header = "product,country,network,prefix,number_type,origin,price,currency,increment,connect_fee,effective_from,description\n"
    static let goodRow = "voice-outbound,ES,,,,international,0.03,EUR,60/60,0,2026-11-01,Spain Fixed\n"

    static let all: [BadDeck] = [
        BadDeck(name: "bad price", bytes: Array((header + goodRow + "voice-outbound,ES,,,mobile,international,abc,EUR,60/60,0,,Spain Mobile\n").utf8),
                line: 3, column: "price", message: "'abc' is not a decimal number"),
        BadDeck(name: "unknown country", bytes: Array((header + goodRow + "voice-outbound,QQ,,,,international,0.1,EUR,60/60,0,,Nowhere\n").utf8),
                line: 3, column: "country", message: "unknown country 'QQ'"),
        BadDeck(name: "duplicate key", bytes: Array((header + "# a comment line\n" + goodRow + goodRow).utf8),
                line: 4, column: "country", message: "duplicate of line 3"),
        BadDeck(name: "not UTF-8", bytes: Array((header + goodRow).utf8) + Array("voice-outbound,ES,,,mobile,international,0.06,EUR,60/60,0,,Espa".utf8)
                    + [0xF1, 0x61] + Array("\n".utf8),
                line: 3, column: "-", message: "not UTF-8"),
        BadDeck(name: "unknown column", bytes: Array(("product,country,prices,currency\n" + "voice-outbound,ES,0.03,EUR\n").utf8),
                line: 1, column: "prices", message: "unknown column"),
    ]
}

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
            #expect(failure.problems.contains { $0.description.hasPrefix(expected) && $0.message.contains(bad.message) },
                    "expected a problem starting '\(expected)' about \"\(bad.message)\", got:\n\(failure.description)")
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
            let path = try fixture.write("bad.csv", """
                product,country,price,currency
                voice-outbound,ES,abc,EUR
                voice-outbound,QQ,0.1,EUR
                voice-outbound,FR,0.1,XYZ

                """)
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

    @Test("re-importing the same complete deck changes nothing")
    func reimportIsUnchanged() async throws {
        try await withImportFixture { fixture in
            let path = try fixture.write("deck.csv", Self.deck)
            _ = try await fixture.importRates(path)
            let rates = try await fixture.store.decks.rates(deck: "base")
            let again = try await fixture.importRates(path, now: instant("2026-11-21T00:00:00Z"))
            #expect(again.summary.unchanged == 6)
            #expect(again.summary.new == 0 && again.summary.closed == 0)
            #expect(again.additions == 0)
            #expect(try await fixture.store.decks.rates(deck: "base") == rates)
        }
    }

    @Test("a complete deck that drops a row closes it from the import on")
    func droppedRowIsClosed() async throws {
        try await withImportFixture { fixture in
            _ = try await fixture.importRates(try fixture.write("deck.csv", Self.deck))
            let later = instant("2026-11-25T12:00:00Z")
            // France and the Syma prefix are gone from the second deck.
            let shorter = Self.deck.split(separator: "\n").filter { !$0.contains("France") && !$0.contains("34612") }.joined(separator: "\n") + "\n"
            let outcome = try await fixture.importRates(try fixture.write("shorter.csv", shorter), now: later)
            let version = try #require(outcome.version)
            #expect(outcome.summary.closed == 2)
            #expect(outcome.summary.unchanged == 4)
            #expect(outcome.additions == 2)

            let stored = try await fixture.store.decks.rates(deck: "base")
            let closing = stored.filter { $0.deckVersion == version.id }
            #expect(closing.count == 2)
            #expect(closing.allSatisfy { $0.terms == nil && $0.effectiveFrom == later })

            let book = try await fixture.book()
            let justBefore = later.adding(seconds: -1)
            let paris = number("+33123456789")
            #expect(try book.quote(paris, product: .voiceOutbound, at: justBefore).price.amount == amount("0.03"))
            #expect(throws: RatingError.self) { try book.quote(paris, product: .voiceOutbound, at: later) }
            #expect(throws: RatingError.self) { try book.quote(paris, product: .voiceOutbound, at: instant("2027-01-01")) }
            // The Syma number falls back to the Spanish mobile price.
            let syma = number("+34612345678")
            #expect(try book.quote(syma, product: .voiceOutbound, at: justBefore).match == .prefix("34612"))
            let after = try book.quote(syma, product: .voiceOutbound, at: later)
            #expect(after.match == .numberType(.mobile))
            #expect(after.price.amount == amount("0.06"))
            // The quote before the close announces it.
            let announced = try book.quote(syma, product: .voiceOutbound, at: justBefore).next
            #expect(announced?.effectiveFrom == later)
            #expect(announced?.terms == nil)
        }
    }

    @Test("a scheduled change applies from its date, and a later deck can cancel it")
    func scheduledChange() async throws {
        try await withImportFixture { fixture in
            let scheduled = Self.deck + "voice-outbound,,,34612,,international,0.09,EUR,1/1,0.01,2026-12-01,\"Spain Mobile, Syma\"\n"
            let outcome = try await fixture.importRates(try fixture.write("scheduled.csv", scheduled))
            #expect(outcome.summary.scheduled == 1)
            let syma = number("+34612345678")
            var book = try await fixture.book()
            let now = try book.quote(syma, product: .voiceOutbound, at: ImportFixture.now)
            #expect(now.price.amount == amount("0.07"))
            #expect(now.next?.effectiveFrom == instant("2026-12-01"))
            #expect(now.next?.terms?.price == amount("0.09"))
            #expect(try book.quote(syma, product: .voiceOutbound, at: instant("2026-11-30T23:59:59Z")).price.amount == amount("0.07"))
            #expect(try book.quote(syma, product: .voiceOutbound, at: instant("2026-12-01")).price.amount == amount("0.09"))

            // The deck without the scheduled row is the complete list again: 0.07 stays.
            let cancel = try await fixture.importRates(try fixture.write("deck.csv", Self.deck), now: instant("2026-11-21"))
            #expect(cancel.additions == 1)
            book = try await fixture.book()
            #expect(try book.quote(syma, product: .voiceOutbound, at: instant("2026-12-02")).price.amount == amount("0.07"))
            // What a quote announces as the next change is what applies from then on.
            let quote = try book.quote(syma, product: .voiceOutbound, at: instant("2026-11-22"))
            if let next = quote.next {
                let then = try book.quote(syma, product: .voiceOutbound, at: next.effectiveFrom)
                #expect(next.terms == then.terms, "announced \(String(describing: next.terms)) but \(then.terms) applies")
            }
        }
    }

    @Test("a carrier deck flagged Decrease with a higher rate fails and stores nothing")
    func carrierDecreaseCheck() async throws {
        try await withImportFixture { fixture in
            let first = try fixture.write("carrier-1.csv", """
                # ACME Carrier rate notice
                # All rates in USD per minute
                Code,Destination,Rate,Effective Date,Billing Increment,Change
                34612,Spain Mobile Syma,0.0500,2026-01-01,60/60,New
                3491,Spain Madrid,0.0100,2026-01-01,60-60,New

                """)
            let outcome = try await fixture.importRates(first, kind: .carrier, currency: currency("USD"), origin: .international)
            #expect(outcome.summary.new == 2)
            let before = try await fixture.snapshot()
            #expect(before.rates.allSatisfy { $0.key.product == .voiceOutbound && $0.terms?.currency == currency("USD") })

            let wrong = try fixture.write("carrier-2.csv", """
                Code,Destination,Rate,Effective Date,Change
                34612,Spain Mobile Syma,0.0600,2026-11-20,Decrease
                3491,Spain Madrid,0.0100,2026-11-20,Unchanged

                """)
            let failure = try #require(await importFailure {
                try await fixture.importRates(wrong, kind: .carrier, currency: currency("USD"), origin: .international)
            })
            #expect(failure.problems.count == 1)
            #expect(failure.problems.first?.description.hasPrefix("\(wrong):2: change: flagged Decrease") == true,
                    "got \(failure.description)")
            #expect(try await fixture.snapshot() == before)

            // A true decrease is accepted.
            let right = try fixture.write("carrier-3.csv", """
                Code,Destination,Rate,Effective Date,Change
                34612,Spain Mobile Syma,0.0400,2026-11-20,Decrease
                3491,Spain Madrid,0.0100,2026-11-20,Unchanged

                """)
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
            let path = try fixture.write("numbers.csv", """
                country,category,region_code,region_name,installation_price,monthly_price,currency,incoming_resource,effective_from
                ES,MOBILE,,,1.50,2.00,EUR,PSTN_IN_MOBILE,2026-01-01
                MX,GEOGRAPHIC,55,Mexico City,0,1.25,USD,,2026-01-01
                MX,geographic,,,0,1.75,USD,,2026-01-01

                """)
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

    @Test("ECB reference rates import, and the table converts with them")
    func exchangeRatesImport() async throws {
        try await withImportFixture { fixture in
            let path = try fixture.write("eurofxref.xml", """
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

                """)
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
            let path = try fixture.write("rates.csv", """
                date,base,quote,rate
                2026-11-19,EUR,USD,1.25
                2026-11-19,EUR,QQQ,3.5

                """)
            let importer = ExchangeRateImporter(store: fixture.store, reference: fixture.reference)
            let failure = try #require(await importFailure { try await importer.importFile(path: path, now: ImportFixture.now) })
            #expect(failure.problems.map(\.description) == ["\(path):3: quote: unknown currency 'QQQ'"])
            #expect(try await fixture.store.exchangeRates.all().isEmpty)
        }
    }

    // MARK: Where the database is

    @Test("--database wins over TARIFF_DATABASE, which wins over ./tariff.sqlite")
    func locationPrecedence() {
        let environment = ["TARIFF_DATABASE": "/srv/env.sqlite"]
        #expect(StoreLocation(option: "/srv/option.sqlite", environment: environment) == StoreLocation(option: "/srv/option.sqlite", environment: [:]))
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
