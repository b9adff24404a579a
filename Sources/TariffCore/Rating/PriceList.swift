/// The rows of one product and one origin list, compiled for lookups: a prefix index for
/// prefix rows, and tables by network, by number type and by country for the rest.
struct PriceList: Sendable {
    let prefixIndex: PrefixIndex
    /// Aligned with `prefixIndex` entries.
    let prefixTimelines: [Timeline<Rate>]
    /// Keyed by `COUNTRY|MCCMNC`, and by `|MCCMNC` for rows that name no country.
    let networkTimelines: [String: Timeline<Rate>]
    /// Keyed by `COUNTRY|number_type`: pseudo-networks (`ES-FIXED`) and country rows with a number type.
    let typeTimelines: [String: Timeline<Rate>]
    /// Keyed by country: the country's default price.
    let countryTimelines: [String: Timeline<Rate>]

    static func networkKey(country: String?, network: String) -> String { (country ?? "") + "|" + network }
    static func typeKey(country: String, type: NumberType) -> String { country + "|" + type.rawValue }

    init(rates: [Rate]) throws(PrefixIndexError) {
        var byPrefix: [String: [Rate]] = [:]
        var byNetwork: [String: [Rate]] = [:]
        var byType: [String: [Rate]] = [:]
        var byCountry: [String: [Rate]] = [:]
        for rate in rates {
            let key = rate.key
            if let prefix = key.prefix { byPrefix[prefix, default: []].append(rate) }
            if let network = key.network {
                if let type = RateBook.pseudoNetworkType(of: key), let country = key.country ?? RateBook.pseudoNetworkCountry(network) {
                    byType[Self.typeKey(country: country, type: type), default: []].append(rate)
                } else {
                    // A network row with a prefix prices that prefix too (it is in byPrefix).
                    byNetwork[Self.networkKey(country: key.country, network: network), default: []].append(rate)
                }
            } else if key.prefix == nil, let country = key.country {
                if let typeText = key.numberType, let type = NumberType(rawValue: typeText) {
                    byType[Self.typeKey(country: country, type: type), default: []].append(rate)
                } else {
                    byCountry[country, default: []].append(rate)
                }
            }
        }
        let prefixes = byPrefix.keys.sorted()
        prefixIndex = try PrefixIndex(prefixes: prefixes)
        prefixTimelines = prefixes.map { Timeline(byPrefix[$0]!) }
        networkTimelines = byNetwork.mapValues { Timeline($0) }
        typeTimelines = byType.mapValues { Timeline($0) }
        countryTimelines = byCountry.mapValues { Timeline($0) }
    }

    /// The most specific row in force for the number: longest prefix, then network, then
    /// number type, then country.
    func match(_ number: DigitKey, info: NumberInfo, at instant: Instant) -> (Rate, RateMatch)? {
        var entry = prefixIndex.longestMatch(number)
        while let current = entry {
            if let rate = prefixTimelines[current].at(instant) {
                return (rate, .prefix(prefixIndex.key(of: current).digits))
            }
            entry = prefixIndex.parent(of: current)
        }
        let country = info.country?.iso2
        if let network = info.network {
            let timeline = networkTimelines[Self.networkKey(country: country, network: network.mccmnc)]
                ?? networkTimelines[Self.networkKey(country: nil, network: network.mccmnc)]
            if let rate = timeline?.at(instant) { return (rate, .network(network.mccmnc, name: network.name)) }
        }
        guard let country else { return nil }
        if let type = info.numberType, let rate = typeTimelines[Self.typeKey(country: country, type: type)]?.at(instant) {
            return (rate, .numberType(type))
        }
        if let rate = countryTimelines[country]?.at(instant) { return (rate, .country(country)) }
        return nil
    }
}

/// Which row of a list priced a number, from most to least specific.
public enum RateMatch: Sendable, Hashable, CustomStringConvertible {
    case prefix(String)
    case network(String, name: String)
    case numberType(NumberType)
    case country(String)
    /// Inbound: the caller's prefix or network, or any caller.
    case caller(String)

    public var description: String {
        switch self {
        case .prefix(let p): "longest matching prefix \(p)"
        case .network(let code, let name): "network \(code) (\(name))"
        case .numberType(let type): "\(type.rawValue) numbers of the country"
        case .country(let iso): "country default for \(iso)"
        case .caller(let text): text
        }
    }
}
