/// The metered service prices of a deck, compiled for lookups: a timeline per key. A few
/// hundred rows at most, so kept as plain tables rather than packed like call rates.
public struct ServiceCatalog: Sendable {
    /// Every version, in key order.
    public let prices: [ServicePrice]
    private let timelines: [ServicePriceKey: Timeline<ServicePrice>]

    public init(_ prices: [ServicePrice]) {
        self.prices = prices.sorted { ($0.key, $0.effectiveFrom, $0.deckVersion) < ($1.key, $1.effectiveFrom, $1.deckVersion) }
        timelines = Dictionary(grouping: prices, by: \.key).mapValues { Timeline($0) }
    }

    /// This catalogue with a newer deck version's prices added.
    public func adding(_ added: [ServicePrice]) -> ServiceCatalog { added.isEmpty ? self : ServiceCatalog(prices + added) }

    /// The product names that have a price at some time, sorted.
    public var products: [String] { Array(Set(prices.map(\.key.product))).sorted() }

    /// The version of exactly `key` in force at `instant`, if it is priced then.
    func price(key: ServicePriceKey, at instant: Instant) -> ServicePrice? {
        timelines[key]?.at(instant).flatMap { $0.terms == nil ? nil : $0 }
    }

    /// The versions in force at `instant`, in key order.
    public func inForce(at instant: Instant) -> [ServicePrice] {
        timelines.keys.sorted().compactMap { timelines[$0]?.at(instant) }
    }

    /// The price of `product` at `instant`: the row of the variant and country asked for, else
    /// of the variant for every country, else of the product in that country, else of the
    /// product. A variant or country with no row of its own falls back this way, so that a
    /// deck lists only the exceptions.
    public func quote(product: String, variant: String?, country: String?, at instant: Instant) throws(ServiceQuoteError) -> ServiceQuote {
        guard prices.contains(where: { $0.key.product == product }) else { throw .unknownProduct(product) }
        var candidates: [(ServicePriceKey, String)] = []
        if let variant, let country {
            candidates.append((ServicePriceKey(product: product, variant: variant, country: country), "variant and country"))
        }
        if let variant { candidates.append((ServicePriceKey(product: product, variant: variant, country: nil), "variant")) }
        if let country { candidates.append((ServicePriceKey(product: product, variant: nil, country: country), "country")) }
        candidates.append((ServicePriceKey(product: product, variant: nil, country: nil), "product"))
        for (key, match) in candidates {
            guard let timeline = timelines[key], let price = timeline.at(instant) else { continue }
            let next = timeline.entries.first { $0.effectiveFrom > instant }
            return ServiceQuote(product: product, variant: variant, country: country, instant: instant, price: price, matchedBy: match, next: next)
        }
        throw .noPrice(product: product, variant: variant, country: country, at: instant)
    }
}

/// A metered service priced at an instant, with the row that priced it.
public struct ServiceQuote: Sendable {
    public let product: String
    /// The variant and country asked for (the row may be less specific).
    public let variant: String?
    public let country: String?
    public let instant: Instant
    /// The version in force (its terms are never nil).
    public let price: ServicePrice
    /// Which of the row's key matched: `variant and country`, `variant`, `country` or `product`.
    public let matchedBy: String
    /// The next scheduled version of the same row, if any.
    public let next: ServicePrice?
    /// The account's price plan, when one made `price` from the deck's.
    public var plan: PlanApplication? = nil

    public var terms: ServicePriceTerms { price.terms! }
}

/// Why a metered service has no price.
public enum ServiceQuoteError: Error, Hashable, Sendable, CustomStringConvertible {
    case unknownProduct(String)
    case noPrice(product: String, variant: String?, country: String?, at: Instant)

    public var description: String {
        switch self {
        case .unknownProduct(let name): "no product '\(name)' in the deck"
        case .noPrice(let product, let variant, let country, let instant):
            "no price for \(ServicePriceKey(product: product, variant: variant, country: country).label) at \(instant.iso8601)"
        }
    }
}

/// The cost of `units` of a metered service, computed exactly and rounded once.
public struct ServiceCharge: Sendable, Hashable {
    public let units: Int
    /// After the minimum and the increment.
    public let billedUnits: Int
    public let usage: Amount
    public let setupFee: Amount
    public let total: Amount
    public let currency: CurrencyCode
    public let rounding: Rounding

    /// `setup fee + price × billed units / per units`, where billed units are the units
    /// rounded up to the increment's blocks and at least the minimum. No units cost nothing.
    public init(_ terms: ServicePriceTerms, units: Int, rounding: Rounding = .charge) throws(AmountError) {
        guard UsageCharge.usageRange.contains(units) else { throw .overflow }
        let billed = units == 0 ? 0 : max(terms.minimum, terms.increment.billedUnits(for: units))
        self.units = units
        billedUnits = billed
        usage = try terms.price.scaled(by: Int64(billed), over: Int64(max(1, terms.perUnits)), rounding: rounding)
        setupFee = billed > 0 ? terms.setupFee : .zero
        total = try usage + setupFee
        currency = terms.currency
        self.rounding = rounding
    }
}
