@testable import TariffCore

/// A small hand-made world for the rating and import tests: a handful of countries,
/// currencies, mobile networks and number ranges, and helpers that turn CSV text into
/// parsed decks and rate books so that tests read like the decks operators bring.
enum TestWorld {
    // MARK: Reference data

    static let countries: [Country] = [
        Country(iso2: "ES", name: "Spain", callingCode: "34", isEEA: true, currency: CurrencyCode("EUR")),
        Country(iso2: "PL", name: "Poland", callingCode: "48", isEEA: true, currency: CurrencyCode("PLN")),
        Country(iso2: "DE", name: "Germany", callingCode: "49", isEEA: true, currency: CurrencyCode("EUR")),
        Country(iso2: "MX", name: "Mexico", callingCode: "52", isEEA: false, currency: CurrencyCode("MXN")),
        Country(iso2: "CO", name: "Colombia", callingCode: "57", isEEA: false, currency: CurrencyCode("COP")),
        Country(iso2: "US", name: "United States", callingCode: "1", isEEA: false, currency: CurrencyCode("USD")),
        Country(iso2: "GB", name: "United Kingdom", callingCode: "44", isEEA: false, currency: CurrencyCode("GBP")),
    ]

    static let currencies: [Currency] = [
        ("EUR", "978", "Euro", 2), ("USD", "840", "US Dollar", 2), ("GBP", "826", "Pound Sterling", 2),
        ("PLN", "985", "Zloty", 2), ("MXN", "484", "Mexican Peso", 2), ("COP", "170", "Colombian Peso", 2),
    ].map { Currency(code: CurrencyCode($0.0)!, numeric: $0.1, name: $0.2, minorUnits: $0.3) }

    static let networks: [MobileNetwork] = [
        MobileNetwork(mcc: "214", mnc: "07", countryISO2: "ES", name: "Movistar", status: "Operational"),
        MobileNetwork(mcc: "214", mnc: "01", countryISO2: "ES", name: "Vodafone", status: "Operational"),
        MobileNetwork(mcc: "334", mnc: "02", countryISO2: "MX", name: "Telcel", status: "Operational"),
        MobileNetwork(mcc: "732", mnc: "101", countryISO2: "CO", name: "Claro", status: "Operational"),
        MobileNetwork(mcc: "260", mnc: "01", countryISO2: "PL", name: "Plus", status: "Operational"),
        MobileNetwork(mcc: "262", mnc: "01", countryISO2: "DE", name: "Telekom", status: "Operational"),
    ]

    static let ranges: [NumberRange] = [
        NumberRange(prefix: "3461", countryISO2: "ES", referenceType: "mobile", networkMCCMNC: "21407", networkName: "Movistar"),
        NumberRange(prefix: "34612", countryISO2: "ES", referenceType: "mobile", networkMCCMNC: "21401", networkName: "Vodafone"),
        NumberRange(prefix: "3491", countryISO2: "ES", referenceType: "fixed_line", networkMCCMNC: nil, networkName: nil),
        NumberRange(prefix: "34900", countryISO2: "ES", referenceType: "toll_free", networkMCCMNC: nil, networkName: nil),
        NumberRange(prefix: "34806", countryISO2: "ES", referenceType: "premium_rate", networkMCCMNC: nil, networkName: nil),
        NumberRange(prefix: "4850", countryISO2: "PL", referenceType: "mobile", networkMCCMNC: "26001", networkName: "Plus"),
        NumberRange(prefix: "4930", countryISO2: "DE", referenceType: "fixed_line", networkMCCMNC: nil, networkName: nil),
        NumberRange(prefix: "4915", countryISO2: "DE", referenceType: "mobile", networkMCCMNC: "26201", networkName: "Telekom"),
        NumberRange(prefix: "52", countryISO2: "MX", referenceType: "fixed_line_or_mobile", networkMCCMNC: nil, networkName: nil),
        NumberRange(prefix: "5255", countryISO2: "MX", referenceType: "fixed_line", networkMCCMNC: nil, networkName: nil),
        NumberRange(prefix: "5281", countryISO2: "MX", referenceType: "fixed_line_or_mobile", networkMCCMNC: "33402", networkName: "Telcel"),
        NumberRange(prefix: "571", countryISO2: "CO", referenceType: "fixed_line", networkMCCMNC: nil, networkName: nil),
        NumberRange(prefix: "5718", countryISO2: "CO", referenceType: "toll_free", networkMCCMNC: nil, networkName: nil),
        NumberRange(prefix: "573", countryISO2: "CO", referenceType: "mobile", networkMCCMNC: nil, networkName: nil),
        NumberRange(prefix: "57310", countryISO2: "CO", referenceType: "mobile", networkMCCMNC: "732101", networkName: "Claro"),
        NumberRange(prefix: "1", countryISO2: "US", referenceType: "fixed_line_or_mobile", networkMCCMNC: nil, networkName: nil),
        NumberRange(prefix: "447", countryISO2: "GB", referenceType: "mobile", networkMCCMNC: nil, networkName: nil),
        NumberRange(prefix: "4420", countryISO2: "GB", referenceType: "fixed_line", networkMCCMNC: nil, networkName: nil),
    ]

    static let reference: ReferenceData = {
        do {
            return try ReferenceData(countries: countries, currencies: currencies, networks: networks, ranges: ranges)
        } catch {
            fatalError("the test world's ranges do not index: \(error)")
        }
    }()

    // MARK: Values

    /// The import clock used unless a test says otherwise.
    static let now = instant("2026-01-01")

    static func instant(_ text: String) -> Instant {
        do { return try Instant(parsing: text) } catch { fatalError("bad test date \(text): \(error)") }
    }

    static func amount(_ text: String) -> Amount {
        do { return try Amount(parsing: text) } catch { fatalError("bad test amount \(text): \(error)") }
    }

    static func number(_ text: String) -> PhoneNumber {
        do { return try PhoneNumber(parsing: text) } catch { fatalError("bad test number \(text): \(error)") }
    }

    static func currency(_ code: String) -> CurrencyCode { CurrencyCode(code)! }

    // MARK: Decks

    static func options(
        _ kind: DeckKind = .rates,
        product: Product? = nil,
        currency: String? = nil,
        origin: OriginScope? = nil,
        effectiveFrom: Instant? = nil,
        now: Instant = TestWorld.now
    ) -> DeckOptions {
        DeckOptions(
            kind: kind,
            product: product,
            currency: currency.map { CurrencyCode($0)! },
            origin: origin,
            effectiveFrom: effectiveFrom,
            now: now
        )
    }

    /// Parses CSV text as `file`.
    static func parse(_ csv: String, file: String = "deck.csv", options: DeckOptions = options()) throws(ImportFailure) -> ParsedDeck {
        var reader = CSVReader(string: csv)
        return try DeckParser.parse(&reader, file: file, options: options, reference: reference)
    }

    /// Parses raw bytes as `file`.
    static func parse(bytes: [UInt8], file: String = "deck.csv", options: DeckOptions = options()) throws(ImportFailure) -> ParsedDeck {
        var reader = CSVReader(bytes: bytes)
        return try DeckParser.parse(&reader, file: file, options: options, reference: reference)
    }

    /// The problems of a file that must not import (an empty list if it imported).
    static func problems(_ csv: String, file: String = "deck.csv", options: DeckOptions = options()) -> [ImportProblem] {
        do {
            _ = try parse(csv, file: file, options: options)
            return []
        } catch {
            return error.problems
        }
    }

    /// The rates of a rate deck, stamped with `deckVersion`.
    static func rates(_ csv: String, options: DeckOptions = options(), deckVersion: Int64 = 1) throws -> [Rate] {
        try parse(csv, options: options).rates.map { row in
            var rate = row.entry
            rate.deckVersion = deckVersion
            return rate
        }
    }

    /// A rate book compiled from a rate deck (plus extra hand-made versions) and an optional numbers file.
    static func book(
        _ csv: String,
        options: DeckOptions = options(),
        extra: [Rate] = [],
        numbers: String? = nil
    ) throws -> RateBook {
        let all = try Self.rates(csv, options: options) + extra
        var numberPrices: [NumberPrice] = []
        if let numbers {
            numberPrices = try parse(numbers, options: TestWorld.options(.numbers)).numberPrices.map { row in
                var price = row.entry
                price.deckVersion = 1
                return price
            }
        }
        return try RateBook(deck: "base", version: 1, reference: reference, rates: all, numberPrices: numberPrices)
    }
}
