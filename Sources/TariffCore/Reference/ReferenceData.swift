/// Countries, currencies, mobile networks and number ranges: what Tariff knows about the
/// world's numbering before any price is loaded. Immutable; shared by every rate book.
public struct ReferenceData: Sendable {
    public let countries: [String: Country]
    public let currencies: CurrencyTable
    /// By MCCMNC; several entries when a network serves several countries.
    public let networks: [String: [MobileNetwork]]
    public let ranges: [NumberRange]
    public let possibleLengths: PossibleLengths
    private let rangeIndex: PrefixIndex
    private let callingCodeIndex: PrefixIndex
    /// The country that owns each calling code in `callingCodeIndex` (the main one when shared).
    private let callingCodeCountry: [String]

    public init(
        countries: [Country],
        currencies: [Currency],
        networks: [MobileNetwork],
        ranges: [NumberRange],
        possibleLengths: PossibleLengths = .unknown
    ) throws(PrefixIndexError) {
        self.possibleLengths = possibleLengths
        self.countries = Dictionary(countries.map { ($0.iso2, $0) }, uniquingKeysWith: { first, _ in first })
        self.currencies = CurrencyTable(currencies)
        self.networks = Dictionary(grouping: networks, by: \.mccmnc)
        self.ranges = ranges
        rangeIndex = try PrefixIndex(prefixes: ranges.map(\.prefix))

        // Shared calling codes (1, 7, 44, ...) go to the country with the most ranges: the one
        // libphonenumber calls the main country of the code.
        var rangeCount: [String: Int] = [:]
        for range in ranges { if let iso = range.countryISO2 { rangeCount[iso, default: 0] += 1 } }
        var owner: [String: Country] = [:]
        for country in countries {
            guard let code = country.callingCode, !code.isEmpty else { continue }
            if let current = owner[code], rangeCount[current.iso2, default: 0] >= rangeCount[country.iso2, default: 0] { continue }
            owner[code] = country
        }
        let codes = owner.keys.sorted()
        callingCodeIndex = try PrefixIndex(prefixes: codes)
        callingCodeCountry = codes.map { owner[$0]!.iso2 }
    }

    public func country(_ iso2: String) -> Country? { countries[iso2.uppercased()] }

    /// The network with this MCCMNC, in `country` when the code is shared.
    public func network(_ mccmnc: String, in country: String? = nil) -> MobileNetwork? {
        guard let candidates = networks[mccmnc] else { return nil }
        if let country, let match = candidates.first(where: { $0.countryISO2 == country }) { return match }
        return candidates.first
    }

    /// The country whose calling code starts `digits` (for numbers outside every known range).
    public func countryForCallingCode(of key: DigitKey) -> Country? {
        guard let entry = callingCodeIndex.longestMatch(key) else { return nil }
        return countries[callingCodeCountry[entry]]
    }

    /// Only the country of a number or prefix (cheaper than ``classify(_:)``).
    public func countryISO2(of key: DigitKey) -> String? {
        if let entry = rangeIndex.longestMatch(key), let iso = ranges[entry].countryISO2 { return iso }
        return countryForCallingCode(of: key)?.iso2
    }

    /// What the reference data says of a number or prefix: country, type, original network.
    public func classify(_ key: DigitKey) -> NumberInfo {
        var range: NumberRange?
        if let entry = rangeIndex.longestMatch(key) { range = ranges[entry] }
        let country = range?.countryISO2.flatMap { countries[$0] } ?? countryForCallingCode(of: key)
        let holder = range?.networkMCCMNC.flatMap { self.network($0, in: range?.countryISO2) }
        return NumberInfo(country: country, range: range, network: holder)
    }
}

extension ReferenceData {
    /// Whether `number` has a length its country (by the reference data's reading `info`)
    /// allows; numbers of countries without length data pass.
    public func hasPossibleLength(_ number: PhoneNumber, info: NumberInfo) -> Bool {
        guard let country = info.country else {
            return possibleLengths.allowsNonGeographic(number.digits) ?? true
        }
        guard let code = country.callingCode, number.digits.hasPrefix(code) else { return true }
        return possibleLengths.allows(number.digits.count - code.count, region: country.iso2, referenceType: info.range?.referenceType)
    }
}

/// The reference data's reading of one number.
public struct NumberInfo: Sendable {
    public let country: Country?
    /// The most specific range that holds the number.
    public let range: NumberRange?
    /// The network that originally held the range (number portability is not reflected).
    public let network: MobileNetwork?

    public var numberType: NumberType? {
        range.map { NumberType(referenceType: $0.referenceType, hasNetwork: $0.networkMCCMNC != nil) }
    }

    public var category: NumberCategory? {
        range.map { NumberCategory(referenceType: $0.referenceType, hasNetwork: $0.networkMCCMNC != nil) }
    }
}
