/// One product's prices in force from one origin list, summed up per country: its lowest and
/// highest price and how many rates it has. What the world map colours, read in one pass over
/// the same ``PricedBook`` that quotes a number, so a country's colour is a price a quote gives.
public struct CountrySummary: Sendable {
    /// A country's prices in one currency (a deck may price countries in several).
    public struct Span: Sendable, Equatable {
        public var lowest: Amount
        public var highest: Amount
        public var rates: Int

        mutating func add(_ price: Amount) {
            lowest = min(lowest, price)
            highest = max(highest, price)
            rates += 1
        }
    }

    public let product: Product
    /// Nil for every list.
    public let origin: OriginScope?
    public let instant: Instant
    /// By ISO country code, then by the currency its rates are in.
    public let countries: [String: [CurrencyCode: Span]]

    /// A rate counts for `origin` when it is on that list or on the list for any origin.
    public init(_ book: PricedBook, product: Product, origin: OriginScope?, at instant: Instant) {
        self.product = product
        self.origin = origin
        self.instant = instant
        let reference = book.reference
        var countries: [String: [CurrencyCode: Span]] = [:]
        book.forEachRate(at: instant, product: product) { rate in
            guard let terms = rate.terms, origin == nil || rate.key.origin == origin || rate.key.origin == .any,
                let country = CountryPrices.country(of: rate.key, reference: reference)
            else { return }
            countries[country, default: [:]][terms.currency, default: Span(lowest: terms.price, highest: terms.price, rates: 0)].add(terms.price)
        }
        self.countries = countries
    }
}
