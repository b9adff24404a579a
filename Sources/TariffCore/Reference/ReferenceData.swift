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
    /// Per range, what ``classify(_:)`` finds for its numbers, resolved once: bulk pricing
    /// classifies millions of numbers, and would otherwise look the same names up for each.
    private let readings: [RangeReading]
    /// What readings point to, by position: a reading holds positions, not copies of the
    /// names, so that it costs bytes, not a copy of every string, per range.
    private let readingCountries: [Country]
    private let readingNetworks: [MobileNetwork]

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
        var readingCountries: [Country] = []
        var countryPositions: [String: Int32] = [:]
        var readingNetworks: [MobileNetwork] = []
        var networkPositions: [MobileNetwork: Int32] = [:]
        // Ranges repeat a few hundred pairs of country and type: each pair's lengths are read once.
        var lengths: [String: UInt32] = [:]
        let byISO = self.countries
        let networksByCode = self.networks
        readings = ranges.map { range in
            var country: Int32 = -1
            if let iso = range.countryISO2, let known = byISO[iso] {
                country = Self.position(of: known, key: iso, positions: &countryPositions, list: &readingCountries)
            }
            var network: Int32 = -1
            if let code = range.networkMCCMNC, let known = Self.network(code, in: range.countryISO2, networks: networksByCode) {
                network = Self.position(of: known, key: known, positions: &networkPositions, list: &readingNetworks)
            }
            return RangeReading(range: range, country: country < 0 ? nil : (country, readingCountries[Int(country)]), network: network) {
                region,
                type in
                let key = region + "|" + type
                if let known = lengths[key] { return known }
                let allowed = possibleLengths.lengths(region: region, referenceType: type)
                lengths[key] = allowed
                return allowed
            }
        }
        self.readingCountries = readingCountries
        self.readingNetworks = readingNetworks
    }

    /// `value`'s position in `list`, appended the first time its `key` is seen.
    private static func position<Key: Hashable, Value>(of value: Value, key: Key, positions: inout [Key: Int32], list: inout [Value]) -> Int32 {
        if let known = positions[key] { return known }
        let position = Int32(list.count)
        positions[key] = position
        list.append(value)
        return position
    }

    public func country(_ iso2: String) -> Country? { countries[iso2.uppercased()] }

    /// The network with this MCCMNC, in `country` when the code is shared.
    public func network(_ mccmnc: String, in country: String? = nil) -> MobileNetwork? {
        Self.network(mccmnc, in: country, networks: networks)
    }

    static func network(_ mccmnc: String, in country: String?, networks: [String: [MobileNetwork]]) -> MobileNetwork? {
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
        guard let entry = rangeIndex.longestMatch(key) else { return NumberInfo(country: countryForCallingCode(of: key), range: nil, network: nil) }
        let reading = readings[entry]
        return NumberInfo(
            country: reading.country < 0 ? countryForCallingCode(of: key) : readingCountries[Int(reading.country)],
            range: ranges[entry],
            network: reading.network < 0 ? nil : readingNetworks[Int(reading.network)],
            numberType: reading.numberType,
            category: reading.category,
            lengths: reading.lengths
        )
    }
}

/// What a range says of its numbers, resolved from the reference tables once.
struct RangeReading: Sendable {
    /// A position in the reference's reading countries; -1 when the range names no country the
    /// tables know (the calling code decides, per number).
    let country: Int32
    /// A position in the reference's reading networks, or -1.
    let network: Int32
    let numberType: NumberType
    let category: NumberCategory
    /// The possible lengths of its numbers, when the range's country decides them.
    let lengths: PossibleLengthCheck?

    init(
        range: NumberRange,
        country: (position: Int32, country: Country)?,
        network: Int32,
        possibleLengths: (_ region: String, _ referenceType: String) -> UInt32
    ) {
        self.country = country?.position ?? -1
        self.network = network
        numberType = NumberType(referenceType: range.referenceType, hasNetwork: range.networkMCCMNC != nil)
        category = NumberCategory(referenceType: range.referenceType, hasNetwork: range.networkMCCMNC != nil)
        // Every number of the range begins with its prefix, so when the prefix begins with the
        // calling code, every number does too, and only its length is left to check.
        if let country = country?.country, let code = country.callingCode, range.prefix.hasPrefix(code) {
            lengths = PossibleLengthCheck(
                callingCodeLength: UInt8(code.utf8.count),
                allowed: possibleLengths(country.iso2, range.referenceType)
            )
        } else {
            lengths = nil
        }
    }
}

/// The national lengths a number may have (bit n: n digits), after a calling code this long.
struct PossibleLengthCheck: Sendable {
    let callingCodeLength: UInt8
    let allowed: UInt32

    func allows(digits: Int) -> Bool { PossibleLengths.allows(digits - Int(callingCodeLength), in: allowed) }
}

extension ReferenceData {
    /// Whether `number` has a length its country (by the reference data's reading `info`)
    /// allows; numbers of countries without length data pass.
    public func hasPossibleLength(_ number: PhoneNumber, info: NumberInfo) -> Bool {
        if let lengths = info.lengths { return lengths.allows(digits: Int(number.key.length)) }
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
    /// The type its range gives it; nil outside every range.
    public let numberType: NumberType?
    /// For inbound prices: its range's category; nil outside every range.
    public let category: NumberCategory?
    /// Its possible lengths, when its range settles them (see ``ReferenceData/hasPossibleLength(_:info:)``).
    let lengths: PossibleLengthCheck?

    init(country: Country?, range: NumberRange?, network: MobileNetwork?) {
        self.country = country
        self.range = range
        self.network = network
        numberType = range.map { NumberType(referenceType: $0.referenceType, hasNetwork: $0.networkMCCMNC != nil) }
        category = range.map { NumberCategory(referenceType: $0.referenceType, hasNetwork: $0.networkMCCMNC != nil) }
        lengths = nil
    }

    init(
        country: Country?,
        range: NumberRange,
        network: MobileNetwork?,
        numberType: NumberType,
        category: NumberCategory,
        lengths: PossibleLengthCheck?
    ) {
        self.country = country
        self.range = range
        self.network = network
        self.numberType = numberType
        self.category = category
        self.lengths = lengths
    }
}
