/// A country's rate lines in key order, stored as the versions they show (a line is one or two
/// consecutive versions), with the product and prefix filters of the explorer answered as ranges.
public struct RateLines: Sendable {
    /// The country's ISO code: a line's key names it, or no country (a prefix-only row).
    let country: String
    let instant: Instant
    /// The versions lines show; line `i` is `versions[starts[i]..<starts[i + 1]]`.
    let versions: [Rate]
    let starts: [Int32]
    /// Whether the lines are in ``RateKey`` order (product, origin, country, prefix, ...), as the
    /// book yields them; if ever not, filters fall back to a scan, which answers the same.
    let ordered: Bool

    public var count: Int { starts.count - 1 }

    public subscript(index: Int) -> CountryPrices.Line<Rate> {
        CountryPrices.line(versions[Int(starts[index])..<Int(starts[index + 1])], at: instant)
    }

    /// The lines of `product` (any, when nil) whose prefix begins with `prefix` (any, when
    /// nil), as ranges of line indices in order.
    ///
    /// Within one (product, origin, country) run, lines are in prefix order, and the digit
    /// strings beginning with `prefix` are exactly those from `prefix` up to `prefix + ":"`
    /// (':' follows '9'). Rows without a country (prefix-only) and with one are two runs.
    public func matching(product: Product?, prefix: String?) -> [Range<Int>] {
        guard product != nil || prefix != nil else { return count > 0 ? [0..<count] : [] }
        // An empty prefix is left to the scan: lines without one sort as "", which the search would take in.
        guard ordered, prefix.map({ !$0.isEmpty && $0.utf8.allSatisfy { (0x30...0x39).contains($0) } }) ?? true else {
            return (0..<count).filter { Self.matches(self[$0].entry.key, product: product, prefix: prefix) }.map { $0..<$0 + 1 }
        }
        var ranges: [Range<Int>] = []
        for listed in Product.allCases.sorted() where product == nil || listed == product {
            for origin in OriginScope.allCases.sorted() {
                for country in [nil, country] {
                    let low = lowerBound(RateKey(product: listed, origin: origin, country: country, network: nil, prefix: prefix, numberType: nil))
                    let high: Int
                    if let prefix {
                        high = lowerBound(
                            RateKey(product: listed, origin: origin, country: country, network: nil, prefix: prefix + ":", numberType: nil)
                        )
                    } else {
                        high = upperBound(listed, origin, country ?? "")
                    }
                    if low < high { ranges.append(low..<high) }
                }
            }
        }
        return ranges
    }

    /// Up to `limit` lines of `ranges` (as ``matching(product:prefix:)`` gives them), after
    /// skipping `offset`.
    public func page(_ ranges: [Range<Int>], offset: Int, limit: Int) -> [CountryPrices.Line<Rate>] {
        var page: [CountryPrices.Line<Rate>] = []
        var skip = offset
        for range in ranges where page.count < limit {
            guard skip < range.count else {
                skip -= range.count
                continue
            }
            for index in range.dropFirst(skip).prefix(limit - page.count) { page.append(self[index]) }
            skip = 0
        }
        return page
    }

    static func matches(_ key: RateKey, product: Product?, prefix: String?) -> Bool {
        (product == nil || key.product == product) && (prefix.map { key.prefix?.hasPrefix($0) ?? false } ?? true)
    }

    func key(_ index: Int) -> RateKey { versions[Int(starts[index])].key }

    /// The first line whose key is not below `key`.
    func lowerBound(_ key: RateKey) -> Int {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if self.key(middle) < key { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The first line after the (product, origin, country) run.
    func upperBound(_ product: Product, _ origin: OriginScope, _ country: String) -> Int {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            let key = self.key(middle)
            if (key.product, key.origin, key.country ?? "") <= (product, origin, country) { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Takes a country's rates as the book yields them (each key's versions together, the one
    /// in force first) and keeps what its lines show.
    struct Builder {
        let country: String
        let instant: Instant
        var versions: [Rate] = []
        var starts: [Int32] = []
        var ordered = true
        private var lastKey: RateKey?
        private var kept = 0

        init(country: String, instant: Instant) {
            self.country = country
            self.instant = instant
        }

        mutating func add(_ rate: Rate) {
            if rate.key != lastKey {
                if let lastKey, rate.key < lastKey { ordered = false }
                lastKey = rate.key
                starts.append(Int32(versions.count))
                versions.append(rate)
                kept = 1
            } else if kept == 1, versions[versions.count - 1].effectiveFrom <= instant {
                // The version in force and the next one; later ones are not shown.
                versions.append(rate)
                kept = 2
            }
        }

        func finish() -> RateLines {
            RateLines(country: country, instant: instant, versions: versions, starts: starts + [Int32(versions.count)], ordered: ordered)
        }
    }
}
