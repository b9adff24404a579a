import Foundation
import TariffCore
@testable import TariffStore
import Testing

// MARK: - Engines under test

/// The store engines the contract tests run against. Each case opens a fresh, empty store of
/// its engine; a PostgreSQL case joins SQLite here when that engine exists.
enum StoreEngine: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite

    static var all: [StoreEngine] { allCases }

    var testDescription: String { rawValue }

    /// Opens the store that belongs to `directory` (the same one again when called twice with
    /// the same directory). Not migrated yet.
    func open(in directory: URL) async throws -> any TariffStore {
        switch self {
        case .sqlite:
            try await SQLiteStore(path: directory.appendingPathComponent("store.sqlite").path)
        }
    }

    /// Makes the engine reject, from now on, every inserted subscription price whose region
    /// name is `regionName`: a commit carrying one fails after its version and rate rows were
    /// already written in the transaction.
    func rejectNumberPrices(in store: any TariffStore, regionName: String) async throws {
        switch self {
        case .sqlite:
            let sqlite = try #require(store as? SQLiteStore, "the sqlite engine opened a \(type(of: store))")
            let quoted = regionName.replacingOccurrences(of: "'", with: "''")
            _ = try await sqlite.engine.select("""
                CREATE TRIGGER reject_number_prices BEFORE INSERT ON number_prices
                WHEN NEW.region_name = '\(quoted)'
                BEGIN SELECT RAISE(ABORT, 'rejected by the test'); END
                """) { _ in 0 }
        }
    }
}

// MARK: - Shared helpers (also used by DeckImporterTests)

/// Runs `body` with a fresh directory under the temporary directory, removed afterwards.
func withTemporaryDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("tariff-store-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try await body(directory)
}

/// Runs `body` with a fresh store of `engine` (migrated unless told otherwise), closed afterwards
/// whatever happens: an SQLite connection must never be dropped open.
func withStore<T>(
    _ engine: StoreEngine, migrated: Bool = true, _ body: (any TariffStore, URL) async throws -> T
) async throws -> T {
    try await withTemporaryDirectory { directory in
        let store = try await engine.open(in: directory)
        do {
            if migrated { try await store.migrate() }
            let result = try await body(store, directory)
            try await store.close()
            return result
        } catch {
            try? await store.close()
            throw error
        }
    }
}

func instant(_ text: String) -> Instant {
    do { return try Instant(parsing: text) } catch { fatalError("bad instant in a test: \(text)") }
}

func amount(_ text: String) -> Amount {
    do { return try Amount(parsing: text) } catch { fatalError("bad amount in a test: \(text)") }
}

func currency(_ text: String) -> CurrencyCode { CurrencyCode(text)! }

func rateValue(_ text: String) -> RateValue {
    do { return try RateValue(parsing: text) } catch { fatalError("bad rate in a test: \(text)") }
}

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

    // MARK: Reference data

    @Test("the shipped reference tables round-trip", arguments: StoreEngine.all)
    func referenceRoundTrip(engine: StoreEngine) async throws {
        let shipped = try ShippedReferenceData.tables()
        try #require(shipped.countries.count > 200 && shipped.ranges.count > 1000, "the shipped reference data looks truncated")
        try await withStore(engine) { store, _ in
            try await store.reference.load(shipped)
            #expect(try await store.reference.isLoaded())
            let stored = try await store.reference.tables()

            #expect(stored.countries.count == shipped.countries.count)
            #expect(stored.currencies.count == shipped.currencies.count)
            #expect(stored.networks.count == shipped.networks.count)
            #expect(stored.ranges.count == shipped.ranges.count)
            #expect(Set(stored.countries) == Set(shipped.countries))
            #expect(Set(stored.currencies) == Set(shipped.currencies))
            #expect(Set(stored.networks) == Set(shipped.networks))
            #expect(Set(stored.ranges) == Set(shipped.ranges))

            let spain = try #require(stored.countries.first { $0.iso2 == "ES" })
            #expect(spain == Country(iso2: "ES", name: "Spain", callingCode: "34", isEEA: true, currency: currency("EUR")))
            let britain = try #require(stored.countries.first { $0.iso2 == "GB" })
            #expect(britain.isEEA == false)
            #expect(britain.currency == currency("GBP"))
            let euro = try #require(stored.currencies.first { $0.code == currency("EUR") })
            #expect(euro.numeric == "978")
            #expect(euro.minorUnits == 2)
            let movistar = try #require(stored.networks.first { $0.mccmnc == "21407" && $0.countryISO2 == "ES" })
            #expect(movistar.name == "Movistar")
            // A network without a country keeps its missing country.
            #expect(stored.networks.contains { $0.mccmnc == "001001" && $0.countryISO2 == nil })
            let syma = try #require(stored.ranges.first { $0.prefix == "34612" })
            #expect(syma == NumberRange(prefix: "34612", countryISO2: "ES", referenceType: "mobile", networkMCCMNC: "21413", networkName: "Syma"))

            // What is stored compiles into working lookups.
            let reference = try stored.compile()
            let info = reference.classify(try PhoneNumber(parsing: "+34612345678").key)
            #expect(info.country?.iso2 == "ES")
            #expect(info.network?.mccmnc == "21413")
        }
    }

    @Test("loading reference data replaces what was loaded before", arguments: StoreEngine.all)
    func referenceLoadReplaces(engine: StoreEngine) async throws {
        try await withStore(engine) { store, _ in
            try await store.reference.load(Self.smallReference(prefixes: ["346", "3491", "331"]))
            try await store.reference.load(Self.smallReference(prefixes: ["44", "4420"]))
            let stored = try await store.reference.tables()
            #expect(stored.ranges.map(\.prefix) == ["44", "4420"])
            #expect(stored.countries.count == 2)
            #expect(stored.currencies.count == 2)
            #expect(stored.networks.count == 1)
        }
    }

    @Test("a reference load that fails part-way keeps the tables loaded before", arguments: StoreEngine.all)
    func referenceLoadFailureKeepsPrevious(engine: StoreEngine) async throws {
        try await withStore(engine) { store, _ in
            let before = Self.smallReference(prefixes: ["346", "3491"])
            try await store.reference.load(before)
            // Currencies, countries and networks are written before the ranges, whose
            // repeated prefix breaks the key.
            var broken = Self.smallReference(prefixes: ["44", "4420", "44"])
            broken.countries.append(Country(iso2: "FR", name: "France", callingCode: "33", isEEA: true, currency: currency("EUR")))
            await #expect(throws: (any Error).self) { try await store.reference.load(broken) }

            let after = try await store.reference.tables()
            #expect(Set(after.countries) == Set(before.countries))
            #expect(Set(after.currencies) == Set(before.currencies))
            #expect(Set(after.networks) == Set(before.networks))
            #expect(Set(after.ranges) == Set(before.ranges))
        }
    }

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

            let version = try await store.decks.commit(commit)
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
            let second = try await store.decks.commit(Self.commit(rates: [Self.laterFixedRate], numbers: [], isDemo: true))
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
            let base = try await store.decks.commit(Self.commit(rates: [Self.fixedRate], numbers: [Self.countryPrice]))
            var other = Self.commit(rates: [Self.smsRate, Self.prefixRate], numbers: [])
            other.deck = "reseller"
            let reseller = try await store.decks.commit(other)
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
            let first = try await store.decks.commit(Self.commit(rates: [Self.fixedRate], numbers: [Self.countryPrice]))
            let versionsBefore = try await store.decks.versions(deck: "base")
            let ratesBefore = try await store.decks.rates(deck: "base")
            let numbersBefore = try await store.decks.numberPrices(deck: "base")

            try await engine.rejectNumberPrices(in: store, regionName: "REJECT ME")
            let rejected = NumberPrice(
                key: NumberPriceKey(country: "MX", category: "GEOGRAPHIC", regionCode: "33"), effectiveFrom: instant("2026-01-01"),
                terms: NumberPriceTerms(regionName: "REJECT ME", installation: .zero, monthly: amount("1"), currency: currency("USD"),
                                        incomingResource: nil),
                deckVersion: 0
            )
            // The version row and the rates are written before the rejected subscription price.
            let failing = Self.commit(rates: [Self.prefixRate, Self.smsRate], numbers: [Self.regionPrice, rejected])
            await #expect(throws: (any Error).self) { try await store.decks.commit(failing) }

            #expect(try await store.decks.versions(deck: "base") == versionsBefore)
            #expect(try await store.decks.latestVersion(deck: "base") == first.id)
            #expect(try await store.decks.rates(deck: "base") == ratesBefore)
            #expect(try await store.decks.numberPrices(deck: "base") == numbersBefore)

            // The store still works, and holds nothing of the failed commit.
            let next = try await store.decks.commit(Self.commit(rates: [Self.smsRate], numbers: []))
            #expect(next.id > first.id)
            #expect(try await store.decks.versions(deck: "base") == versionsBefore + [next])
            #expect(try await store.decks.rates(deck: "base") == ratesBefore + [Self.assigning(next.id, to: Self.smsRate)])
            #expect(try await store.decks.numberPrices(deck: "base") == numbersBefore)
        }
    }

    // MARK: Exchange rates

    @Test("exchange rates are stored, listed and replaced per day and pair", arguments: StoreEngine.all)
    func exchangeRates(engine: StoreEngine) async throws {
        try await withStore(engine) { store, _ in
            #expect(try await store.exchangeRates.store([], importedAt: instant("2026-11-20")) == 0)
            let day1 = instant("2026-11-19"), day2 = instant("2026-11-20")
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

    // MARK: Fixtures

    static func commit(
        rates: [Rate], numbers: [NumberPrice], rowCount: Int? = nil, summary: ChangeSummary = ChangeSummary(),
        source: String = "deck.csv", isDemo: Bool = false
    ) -> DeckCommit {
        DeckCommit(deck: "base", kind: "rates", source: source, createdAt: instant("2026-11-20T10:30:00Z"),
                   rowCount: rowCount ?? rates.count + numbers.count, summary: summary, isDemo: isDemo, rates: rates, numberPrices: numbers)
    }

    static func assigning(_ version: Int64, to rate: Rate) -> Rate {
        var copy = rate
        copy.deckVersion = version
        return copy
    }

    static func assigning(_ version: Int64, to price: NumberPrice) -> NumberPrice {
        var copy = price
        copy.deckVersion = version
        return copy
    }

    static func key(_ product: Product, _ origin: OriginScope, country: String? = nil, network: String? = nil, prefix: String? = nil,
                    numberType: String? = nil) -> RateKey {
        RateKey(product: product, origin: origin, country: country, network: network, prefix: prefix, numberType: numberType)
    }

    static let fixedRate = Rate(
        key: key(.voiceOutbound, .international, country: "ES"), effectiveFrom: instant("2026-01-01"),
        terms: RateTerms(price: amount("0.02026"), currency: currency("EUR"), increment: .perMinute, connectFee: .zero,
                         description: "Spain Fixed", resource: "PSTN_INTERNATIONAL"),
        deckVersion: 0
    )
    static let laterFixedRate = Rate(
        key: fixedRate.key, effectiveFrom: instant("2026-12-15T06:00:00Z"),
        terms: RateTerms(price: amount("0.025"), currency: currency("EUR"), increment: BillingIncrement(initial: 30, subsequent: 6),
                         connectFee: .zero, description: "Spain Fixed", resource: "PSTN_INTERNATIONAL"),
        deckVersion: 0
    )
    static let prefixRate = Rate(
        key: key(.voiceOutbound, .international, country: "ES", prefix: "34612"), effectiveFrom: instant("2026-01-01"),
        terms: RateTerms(price: amount("0.07"), currency: currency("EUR"), increment: .perSecond, connectFee: amount("0.01"),
                         description: "Spain, \"Syma\"", resource: "PSTN_INTERNATIONAL"),
        deckVersion: 0
    )
    static let closingRate = Rate(key: prefixRate.key, effectiveFrom: instant("2026-12-01"), terms: nil, deckVersion: 0)
    static let smsRate = Rate(
        key: key(.smsOutbound, .any, country: "ES", network: "21407"), effectiveFrom: instant("2026-02-01T12:34:56Z"),
        terms: RateTerms(price: amount("0.12345678"), currency: currency("USD"), increment: nil, connectFee: .zero,
                         description: "", resource: "SMSOUT"),
        deckVersion: 0
    )
    static let inboundRate = Rate(
        key: key(.voiceInbound, .domestic, country: "ES", prefix: "346", numberType: "toll_free"), effectiveFrom: instant("2026-01-01"),
        terms: RateTerms(price: amount("12345.6789"), currency: currency("EUR"), increment: BillingIncrement(initial: 60, subsequent: 1),
                         connectFee: amount("0.5"), description: "Spain toll free from mobiles", resource: "PSTN_IN_TOLL_FREE"),
        deckVersion: 0
    )
    static let ancientRate = Rate(
        key: key(.voiceOutbound, .eea, network: "ES-FIXED", numberType: "landline"), effectiveFrom: .distantPast,
        terms: RateTerms(price: .zero, currency: currency("EUR"), increment: .perMinute, connectFee: .zero,
                         description: "free since always", resource: "PSTNOUT_EEA"),
        deckVersion: 0
    )

    static let countryPrice = NumberPrice(
        key: NumberPriceKey(country: "ES", category: "MOBILE", regionCode: nil), effectiveFrom: instant("2026-01-01"),
        terms: NumberPriceTerms(regionName: nil, installation: amount("1.5"), monthly: amount("2"), currency: currency("EUR"), incomingResource: nil),
        deckVersion: 0
    )
    static let regionPrice = NumberPrice(
        key: NumberPriceKey(country: "MX", category: "GEOGRAPHIC", regionCode: "55"), effectiveFrom: instant("2026-03-01"),
        terms: NumberPriceTerms(regionName: "Mexico City", installation: .zero, monthly: amount("1.25"), currency: currency("USD"),
                                incomingResource: "PSTN_IN_GEOGRAPHIC"),
        deckVersion: 0
    )
    static let closingPrice = NumberPrice(key: countryPrice.key, effectiveFrom: instant("2027-01-01"), terms: nil, deckVersion: 0)

    static func smallReference(prefixes: [String]) -> ReferenceTables {
        ReferenceTables(
            countries: [
                Country(iso2: "ES", name: "Spain", callingCode: "34", isEEA: true, currency: currency("EUR")),
                Country(iso2: "GB", name: "United Kingdom", callingCode: "44", isEEA: false, currency: currency("GBP")),
            ],
            currencies: [
                Currency(code: currency("EUR"), numeric: "978", name: "Euro", minorUnits: 2),
                Currency(code: currency("GBP"), numeric: "826", name: "Pound Sterling", minorUnits: 2),
            ],
            networks: [MobileNetwork(mcc: "214", mnc: "07", countryISO2: "ES", name: "Movistar", status: "Operational")],
            ranges: prefixes.map { NumberRange(prefix: $0, countryISO2: $0.hasPrefix("34") ? "ES" : "GB", referenceType: "mobile",
                                               networkMCCMNC: nil, networkName: nil) }
        )
    }
}
