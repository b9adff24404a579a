import Foundation
import TariffCore

/// Voximplant's view of usage prices: per resource type (`SMSOUT`, `PSTN_INTERNATIONAL`,
/// `PSTN_IN_TOLLFREE_CO`, ...), price groups — rows of one country with the same description
/// and terms — with the prefixes they cover, converted into one account currency. Built once
/// per deck version, rate set and currency.
struct ResourceCatalog: Sendable {
    struct PriceGroup: Sendable {
        let id: Int
        let resource: String
        let name: String
        let country: String?
        /// The price of `unitsPerPrice` units in the catalog's currency: a message, or 60 seconds of a call.
        let price: Amount
        let unitsPerPrice: Int
        /// The billing block in units (seconds of a call after its first block; 1 message).
        let quantum: Int
        let connectFee: Amount
        /// Prefixes of the numbers called (outbound) or of the callers (inbound); empty for any
        /// caller. For a metered product, the variant its row is for.
        let allowed: [String]
        /// The rows of calls and messages it groups; none for a metered product.
        let keys: [RateKey]
        /// The metered product row it is; nil for calls and messages.
        var service: ServicePriceKey? = nil
    }

    let currency: CurrencyCode
    /// Resource types in name order, each with its groups in country, name and price order.
    let resources: [(type: String, groups: [PriceGroup])]

    func groups(of resource: String) -> [PriceGroup] {
        resources.first { $0.type == resource }?.groups ?? []
    }

    private struct Grouping: Hashable {
        let resource: String
        let country: String?
        let name: String
        let terms: RateTerms
    }

    init(
        book: PricedBook,
        ranges: RangeDirectory,
        currency: CurrencyCode,
        exchangeRates: ExchangeRateTable,
        at instant: Instant
    ) throws(ConversionError) {
        self.currency = currency
        var members: [Grouping: [Rate]] = [:]
        for rate in book.rates(at: instant) {
            guard let terms = rate.terms else { continue }
            let name = terms.description.isEmpty ? Self.defaultName(of: rate.key, reference: book.reference) : terms.description
            let resource = terms.resource.isEmpty ? "PSTN_INTERNATIONAL" : terms.resource
            members[Grouping(resource: resource, country: rate.key.country, name: name, terms: terms), default: []].append(rate)
        }
        // Ids follow a group's resource and first row, not its price, so a price change keeps the id.
        let ordered = members.map { grouping, rates in (grouping, rates.map(\.key).sorted()) }
            .sorted { ($0.0.resource, $0.1[0]) < ($1.0.resource, $1.1[0]) }
        // Metered products are a group per row. Their ids come after the call and message
        // groups', which therefore keep the ids they had before a deck had such products.
        let services = book.services.inForce(at: instant).filter { $0.terms != nil }
        let ids = StableID.assign(
            ordered.map { "\($0.0.resource)|\($0.1[0].label)" } + services.map { "\($0.terms!.resource)|\($0.key.label)" }
        )
        var byResource: [String: [PriceGroup]] = [:]
        for (service, id) in zip(services, ids.dropFirst(ordered.count)) {
            let terms = service.terms!
            let resource = terms.resource.isEmpty ? service.key.product.uppercased() : terms.resource
            byResource[resource, default: []].append(
                PriceGroup(
                    id: id,
                    resource: resource,
                    name: terms.description.isEmpty ? service.key.label : terms.description,
                    country: service.key.country,
                    price: try exchangeRates.convert(Money(terms.price, terms.currency), to: currency).amount,
                    unitsPerPrice: terms.perUnits,
                    quantum: terms.increment.subsequent,
                    connectFee: try exchangeRates.convert(Money(terms.setupFee, terms.currency), to: currency).amount,
                    allowed: service.key.variant.map { [$0] } ?? [],
                    keys: [],
                    service: service.key
                )
            )
        }
        for ((grouping, keys), id) in zip(ordered, ids) {
            let terms = grouping.terms
            let voice = keys[0].product.isVoice
            var allowed = Set<String>()
            for key in keys { allowed.formUnion(Self.prefixes(of: key, ranges: ranges, reference: book.reference)) }
            byResource[grouping.resource, default: []].append(
                PriceGroup(
                    id: id,
                    resource: grouping.resource,
                    name: grouping.name,
                    country: grouping.country,
                    price: try exchangeRates.convert(Money(terms.price, terms.currency), to: currency).amount,
                    unitsPerPrice: voice ? 60 : 1,
                    quantum: voice ? (terms.increment ?? .perMinute).subsequent : 1,
                    connectFee: try exchangeRates.convert(Money(terms.connectFee, terms.currency), to: currency).amount,
                    allowed: Self.outermost(allowed),
                    keys: keys
                )
            )
        }
        resources = byResource.keys.sorted().map { type in
            (type, byResource[type]!.sorted { ($0.country ?? "", $0.name, $0.price, $0.id) < ($1.country ?? "", $1.name, $1.price, $1.id) })
        }
    }

    /// The prefixes a row covers: its own prefix; its network's or its kind of number's ranges;
    /// the country's calling code for a country default. Inbound rows cover callers.
    static func prefixes(of key: RateKey, ranges: RangeDirectory, reference: ReferenceData) -> [String] {
        if let prefix = key.prefix { return [prefix] }
        if key.product.isInbound {
            guard let network = key.network, let owner = reference.network(network)?.countryISO2 else { return [] }
            return ranges.prefixes(country: owner, network: network).map(String.init)
        }
        guard let country = key.country else { return [] }
        if let network = key.network, network.allSatisfy(\.isNumber) {
            return ranges.prefixes(country: country, network: network).map(String.init)
        }
        if let type = VonageCatalog.numberType(of: key) {
            return ranges.prefixes(country: country, type: type).map(String.init)
        }
        return reference.country(country)?.callingCode.map { [$0] } ?? []
    }

    /// The prefixes not already covered by a shorter one in the set, in order (`49151` covers `491510`).
    static func outermost(_ prefixes: Set<String>) -> [String] {
        var kept: [String] = []
        for prefix in prefixes.sorted() {
            // Sorted order puts a prefix right before the ones it covers, so the last kept one is the only candidate.
            if let last = kept.last, prefix.hasPrefix(last) { continue }
            kept.append(prefix)
        }
        return kept
    }

    /// `Mexico Mobile`, `Mexico 5255`, `Mexico`: for rows imported without a description.
    static func defaultName(of key: RateKey, reference: ReferenceData) -> String {
        let country = key.country.flatMap { reference.country($0)?.name } ?? key.country ?? "Any"
        if let prefix = key.prefix { return "\(country) \(prefix)" }
        if let network = key.network { return "\(country) \(reference.network(network)?.name ?? network)" }
        if let type = key.numberType { return "\(country) \(type.replacingOccurrences(of: "_", with: " "))" }
        return country
    }
}
