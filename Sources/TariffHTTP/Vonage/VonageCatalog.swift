import TariffCore

/// Vonage's view of one product's prices for one account currency: per country a default
/// price and a list of "networks" (real MCCMNC networks, pseudo-networks such as `ES-FIXED`,
/// and prefix rows), converted at the exchange rate in force. Built once per deck version,
/// rate set and currency, then shared by every request that asks for it.
struct VonageCatalog: Sendable {
    struct Network: Sendable {
        let type: String
        let price: Amount
        let code: String
        let name: String
        let mcc: String?
        let mnc: String?
        let ranges: [Int]
        let increment: BillingIncrement?
    }

    struct CountryPrices: Sendable {
        let country: Country
        let defaultPrice: Amount?
        let defaultIncrement: BillingIncrement?
        let networks: [Network]
    }

    let product: Product
    let currency: CurrencyCode
    /// Every country with a calling code, in ISO order; countries without prices have no default and no networks.
    let countries: [CountryPrices]
    private let byISO: [String: Int]

    func country(_ iso: String) -> CountryPrices? { byISO[iso.uppercased()].map { countries[$0] } }

    /// Countries whose calling code is `prefix` (Vonage's prefix pricing: 1 gives US, CA, ...).
    func countries(callingCode prefix: String) -> [CountryPrices] { countries.filter { $0.country.callingCode == prefix } }

    init(
        book: PricedBook,
        ranges: RangeDirectory,
        product: Product,
        currency: CurrencyCode,
        exchangeRates: ExchangeRateTable,
        at instant: Instant
    ) throws(ConversionError) {
        self.product = product
        self.currency = currency
        // Vonage has no origin: the international list, then rows for any origin, as for a number priced without one.
        // Listings come in key order, so each country's two lists are merged in order, not sorted (a million-row deck).
        var anyOrigin: [String: [Rate]] = [:]
        var international: [String: [Rate]] = [:]
        book.forEachRate(at: instant, product: product) { rate in
            guard let iso = rate.key.country else { return }
            switch rate.key.origin {
            case .any: anyOrigin[iso, default: []].append(rate)
            case .international: international[iso, default: []].append(rate)
            case .domestic, .eea: break
            }
        }
        var result: [CountryPrices] = []
        for country in book.reference.countries.values.sorted(by: { $0.iso2 < $1.iso2 }) where country.callingCode != nil {
            var defaultPrice: Amount?
            var defaultIncrement: BillingIncrement?
            var networks: [Network] = []
            for rate in Self.merged((anyOrigin[country.iso2] ?? [], international[country.iso2] ?? [])) {
                let key = rate.key
                guard let terms = rate.terms else { continue }
                let price = try exchangeRates.convert(Money(terms.price, terms.currency), to: currency).amount
                if let network = key.network, network.allSatisfy(\.isNumber) {
                    let reference = book.reference.network(network, in: country.iso2)
                    networks.append(
                        Network(
                            type: key.numberType ?? NumberType.mobile.rawValue,
                            price: price,
                            code: network,
                            name: reference?.name ?? terms.description,
                            mcc: reference?.mcc ?? String(network.prefix(3)),
                            mnc: reference?.mnc ?? String(network.dropFirst(3)),
                            ranges: ranges.prefixes(country: country.iso2, network: network) + (key.prefix.flatMap { Int($0) }.map { [$0] } ?? []),
                            increment: terms.increment
                        )
                    )
                } else if let prefix = key.prefix {
                    let type =
                        key.numberType.flatMap(NumberType.init(rawValue:))
                        ?? DigitKey(prefix).flatMap { book.reference.classify($0).numberType } ?? .landline
                    networks.append(
                        Network(
                            type: type.rawValue,
                            price: price,
                            code: "\(country.iso2)-\(prefix)",
                            name: terms.description.isEmpty ? "\(country.name) \(prefix)" : terms.description,
                            mcc: nil,
                            mnc: nil,
                            ranges: Int(prefix).map { [$0] } ?? [],
                            increment: terms.increment
                        )
                    )
                } else if let type = Self.numberType(of: key) {
                    networks.append(
                        Network(
                            type: type.rawValue,
                            price: price,
                            code: key.network ?? "\(country.iso2)-\(type.pseudoNetworkSuffix)",
                            name: terms.description.isEmpty ? "\(country.name) \(type.rawValue)" : terms.description,
                            mcc: nil,
                            mnc: nil,
                            ranges: ranges.prefixes(country: country.iso2, type: type),
                            increment: terms.increment
                        )
                    )
                } else {
                    defaultPrice = price
                    defaultIncrement = terms.increment
                }
            }
            result.append(CountryPrices(country: country, defaultPrice: defaultPrice, defaultIncrement: defaultIncrement, networks: networks))
        }
        countries = result
        byISO = Dictionary(uniqueKeysWithValues: result.enumerated().map { ($1.country.iso2, $0) })
    }

    /// A country's rows for any origin and its international rows (each in key order) as one
    /// list in key order without the origin, the international row where both have one shape.
    static func merged(_ lists: (any: [Rate], international: [Rate])) -> [Rate] {
        // RateKey's order, origin aside (the product is the same).
        func compare(_ l: String?, _ r: String?) -> Int {
            let left = l ?? ""
            let right = r ?? ""
            return left == right ? 0 : left < right ? -1 : 1
        }
        func order(_ lhs: RateKey, _ rhs: RateKey) -> Int {
            let country = compare(lhs.country, rhs.country)
            if country != 0 { return country }
            let prefix = compare(lhs.prefix, rhs.prefix)
            if prefix != 0 { return prefix }
            let network = compare(lhs.network, rhs.network)
            return network != 0 ? network : compare(lhs.numberType, rhs.numberType)
        }
        var result: [Rate] = []
        result.reserveCapacity(lists.any.count + lists.international.count)
        var a = 0
        var i = 0
        while a < lists.any.count || i < lists.international.count {
            guard a < lists.any.count else {
                result.append(lists.international[i])
                i += 1
                continue
            }
            guard i < lists.international.count else {
                result.append(lists.any[a])
                a += 1
                continue
            }
            switch order(lists.any[a].key, lists.international[i].key) {
            case ..<0:
                result.append(lists.any[a])
                a += 1
            case 0:
                result.append(lists.international[i])
                a += 1
                i += 1
            default:
                result.append(lists.international[i])
                i += 1
            }
        }
        return result
    }

    static func numberType(of key: RateKey) -> NumberType? {
        if let network = key.network {
            return key.numberType.flatMap(NumberType.init(rawValue:)) ?? NumberType(pseudoNetworkCode: network) ?? .landline
        }
        return key.numberType.flatMap(NumberType.init(rawValue:))
    }

    /// Vonage's product names: `sms` and `sms-transit` are outbound SMS, `voice` outbound voice.
    static func product(v1 name: String) -> Product? {
        switch name {
        case "sms", "sms-transit": .smsOutbound
        case "voice": .voiceOutbound
        default: nil
        }
    }
}

/// The reference ranges of each network and each kind of number, per country, as integers
/// (Vonage's `ranges`). Built once per reference data set.
final class RangeDirectory: Sendable {
    private let byNetwork: [String: [Int]]
    private let byType: [String: [Int]]

    init(reference: ReferenceData) {
        var byNetwork: [String: [Int]] = [:]
        var byType: [String: [Int]] = [:]
        for range in reference.ranges {
            guard let iso = range.countryISO2, let prefix = Int(range.prefix) else { continue }
            if let network = range.networkMCCMNC { byNetwork[iso + "|" + network, default: []].append(prefix) }
            let type = NumberType(referenceType: range.referenceType, hasNetwork: range.networkMCCMNC != nil)
            byType[iso + "|" + type.rawValue, default: []].append(prefix)
        }
        self.byNetwork = byNetwork
        self.byType = byType
    }

    func prefixes(country: String, network: String) -> [Int] { byNetwork[country + "|" + network] ?? [] }
    func prefixes(country: String, type: NumberType) -> [Int] { byType[country + "|" + type.rawValue] ?? [] }
}
