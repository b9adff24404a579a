/// Every price of one country as an account sees it, through its plan: each rate key's price
/// in force at an instant with the next scheduled one, and the country's number fees. It is
/// what the price explorer shows, read from the same ``PricedBook`` that quotes a number, so
/// the page and a quote cannot disagree.
///
/// A carrier's country can have a million rates, so the sheet keeps only the versions a line
/// shows (at most two per key) in one array, and a filtered page is found by binary search on
/// the key order rather than by copying the lines that match.
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
    public let rates: RateLines
    public let numbers: [Line<NumberPrice>]

    /// Reads the country's lines from `book`: one pass over its rates.
    public init(_ book: PricedBook, country: Country, at instant: Instant) {
        self.country = country
        self.instant = instant
        let reference = book.reference
        var lines = RateLines.Builder(country: country.iso2, instant: instant)
        book.forEachRate(at: instant, scheduled: true) { rate in
            if Self.country(of: rate.key, reference: reference) == country.iso2 { lines.add(rate) }
        }
        rates = lines.finish()
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
            lines.append(line(entries[start..<end], at: instant))
            start = end
        }
        return lines
    }

    /// One key's versions, the one in force (if any) first, as a line.
    static func line<Entry: TimelineEntry>(_ versions: ArraySlice<Entry>, at instant: Instant) -> Line<Entry> {
        let first = versions[versions.startIndex]
        guard first.effectiveFrom <= instant else { return Line(current: nil, next: first) }
        return Line(current: first, next: versions.count > 1 ? versions[versions.startIndex + 1] : nil)
    }

    /// The country a rate prices: its own, else its prefix's (a prefix-only row).
    static func country(of key: RateKey, reference: ReferenceData) -> String? {
        if let country = key.country { return country }
        guard let prefix = key.prefix, let digits = DigitKey(prefix) else { return nil }
        return reference.classify(digits).country?.iso2
    }
}
