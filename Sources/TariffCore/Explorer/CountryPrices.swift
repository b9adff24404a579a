/// Every price of one country as an account sees it, through its plan: each rate key's price
/// in force at an instant with the next scheduled one, and the country's number fees. It is
/// what the price explorer shows, read from the same ``PricedBook`` that quotes a number, so
/// the page and a quote cannot disagree.
public struct CountryPrices: Sendable {
    /// One key's price in force (nil when it only starts later) and its next different price.
    public struct Line<Entry: TimelineEntry>: Sendable {
        public let current: Entry?
        public let next: Entry?

        /// The current version, else the scheduled one: what names the line.
        public var entry: Entry { current ?? next! }
    }

    public let country: Country
    public let instant: Instant
    /// Outbound and inbound rates, by product, origin list and key.
    public let rates: [Line<Rate>]
    public let numbers: [Line<NumberPrice>]

    /// Reads the country's lines from `book`: one pass over its rates.
    public init(_ book: PricedBook, country: Country, at instant: Instant) {
        self.country = country
        self.instant = instant
        let reference = book.reference
        var rates: [Line<Rate>] = []
        var versions: [Rate] = []
        func flush() {
            if let line = Self.line(versions, at: instant) { rates.append(line) }
            versions.removeAll(keepingCapacity: true)
        }
        book.forEachRate(at: instant, scheduled: true) { rate in
            guard Self.country(of: rate.key, reference: reference) == country.iso2 else { return }
            if let last = versions.last, last.key != rate.key { flush() }
            versions.append(rate)
        }
        flush()
        self.rates = rates
        var numbers: [Line<NumberPrice>] = []
        var prices: [NumberPrice] = []
        for price in book.numberPrices(at: instant, scheduled: true) where price.key.country == country.iso2 {
            if let last = prices.last, last.key != price.key {
                if let line = Self.line(prices, at: instant) { numbers.append(line) }
                prices.removeAll(keepingCapacity: true)
            }
            prices.append(price)
        }
        if let line = Self.line(prices, at: instant) { numbers.append(line) }
        self.numbers = numbers
    }

    /// A key's versions (the one in force, then later ones with other terms) as a line.
    static func line<Entry: TimelineEntry>(_ versions: [Entry], at instant: Instant) -> Line<Entry>? {
        guard let first = versions.first else { return nil }
        if first.effectiveFrom <= instant { return Line(current: first, next: versions.dropFirst().first) }
        return Line(current: nil, next: first)
    }

    /// The country a rate prices: its own, else its prefix's (a prefix-only row).
    static func country(of key: RateKey, reference: ReferenceData) -> String? {
        if let country = key.country { return country }
        guard let prefix = key.prefix, let digits = DigitKey(prefix) else { return nil }
        return reference.classify(digits).country?.iso2
    }
}
