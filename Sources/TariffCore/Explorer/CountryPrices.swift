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
        var rates: [Rate] = []
        book.forEachRate(at: instant, scheduled: true) { rate in
            if Self.country(of: rate.key, reference: reference) == country.iso2 { rates.append(rate) }
        }
        self.rates = Self.lines(rates, at: instant)
        numbers = Self.lines(book.numberPrices(at: instant, scheduled: true).filter { $0.key.country == country.iso2 }, at: instant)
    }

    /// Entries in key order, each key's versions together (the one in force, then later ones
    /// with other terms), as one line per key.
    static func lines<Entry: TimelineEntry>(_ entries: [Entry], at instant: Instant) -> [Line<Entry>] {
        var lines: [Line<Entry>] = []
        var start = 0
        while start < entries.count {
            var end = start + 1
            while end < entries.count, entries[end].key == entries[start].key { end += 1 }
            let first = entries[start]
            lines.append(
                first.effectiveFrom <= instant
                    ? Line(current: first, next: end > start + 1 ? entries[start + 1] : nil) : Line(current: nil, next: first)
            )
            start = end
        }
        return lines
    }

    /// The country a rate prices: its own, else its prefix's (a prefix-only row).
    static func country(of key: RateKey, reference: ReferenceData) -> String? {
        if let country = key.country { return country }
        guard let prefix = key.prefix, let digits = DigitKey(prefix) else { return nil }
        return reference.classify(digits).country?.iso2
    }
}
