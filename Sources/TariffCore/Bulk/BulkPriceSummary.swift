/// What a bulk request priced: counts and totals by country and by number type, and the
/// numbers that could not be priced (the first ``listLimit`` of them listed, all counted).
///
/// Totals are sums of the prices listed (per minute for voice, per message for SMS), per
/// currency, kept exact in 128-bit units: ten million numbers cannot overflow them.
public struct BulkPriceSummary: Sendable, Equatable {
    /// A group's numbers and the sum of their prices.
    public struct Tally: Sendable, Equatable {
        public var count = 0
        public var priced = 0
        /// A file's prices come in one currency or a few: a short list scanned beats hashing
        /// the code for every number.
        private var sums: [(currency: CurrencyCode, units: Int128)] = []

        /// The sum of the prices, per currency.
        public var totals: [CurrencyCode: Int128] { Dictionary(sums, uniquingKeysWith: +) }

        mutating func add(_ price: Money?) {
            count += 1
            guard let price else { return }
            priced += 1
            add(Int128(price.amount.units), in: price.currency)
        }

        private mutating func add(_ units: Int128, in currency: CurrencyCode) {
            if let index = sums.firstIndex(where: { $0.currency == currency }) {
                sums[index].units += units
            } else {
                sums.append((currency, units))
            }
        }

        mutating func merge(_ other: Tally) {
            count += other.count
            priced += other.priced
            for (currency, units) in other.sums { add(units, in: currency) }
        }

        public static func == (lhs: Tally, rhs: Tally) -> Bool {
            lhs.count == rhs.count && lhs.priced == rhs.priced && lhs.totals == rhs.totals
        }
    }

    /// A number that has no price, with where it was and why.
    public struct Unpriced: Sendable, Equatable {
        public let line: Int
        public let number: String
        public let error: String
    }

    public static let listLimit = 1000

    public private(set) var all = Tally()
    public private(set) var byCountry: [String: Tally] = [:]
    public private(set) var byType: [String: Tally] = [:]
    public private(set) var unpriced: [Unpriced] = []
    public private(set) var unpricedCount = 0

    public init() {}

    mutating func add(_ line: BulkPriceLine, at lineNumber: Int) {
        all.add(line.price)
        byCountry[line.country ?? "", default: Tally()].add(line.price)
        byType[line.type ?? "", default: Tally()].add(line.price)
        guard let error = line.error else { return }
        unpricedCount += 1
        if unpriced.count < Self.listLimit { unpriced.append(Unpriced(line: lineNumber, number: line.number, error: error)) }
    }

    /// Adds the summary of the lines that follow these (a slice priced apart).
    mutating func merge(_ other: BulkPriceSummary) {
        all.merge(other.all)
        byCountry.merge(other.byCountry) { mine, theirs in
            var both = mine
            both.merge(theirs)
            return both
        }
        byType.merge(other.byType) { mine, theirs in
            var both = mine
            both.merge(theirs)
            return both
        }
        unpricedCount += other.unpricedCount
        unpriced.append(contentsOf: other.unpriced.prefix(Self.listLimit - unpriced.count))
    }

    /// The summary as one JSON object.
    public var json: String {
        var writer = JSONObjectWriter(capacity: 4096)
        writer.integer("count", all.count)
        writer.integer("priced", all.priced)
        writer.integer("unpriced", unpricedCount)
        Self.write(all.totals, into: &writer)
        writer.array("by_country", byCountry.keys.sorted()) { object, key in
            object.string("country", key.isEmpty ? nil : key)
            Self.write(byCountry[key]!, into: &object)
        }
        writer.array("by_type", byType.keys.sorted()) { object, key in
            object.string("type", key.isEmpty ? nil : key)
            Self.write(byType[key]!, into: &object)
        }
        writer.array("unpriced_numbers", unpriced) { object, entry in
            object.integer("line", entry.line)
            object.string("number", entry.number)
            object.string("error", entry.error)
        }
        return writer.finish()
    }

    /// The summary as lines, for a terminal: the first `listing` numbers without a price listed.
    public func text(listing: Int = 20) -> String {
        var lines = ["\(all.count) numbers: \(all.priced) priced, \(unpricedCount) without a price" + Self.totalsText(all.totals)]
        for (title, groups) in [("country", byCountry), ("type", byType)] {
            lines.append("by \(title):")
            for key in groups.keys.sorted() {
                let tally = groups[key]!
                lines.append("  \(key.isEmpty ? "(none)" : key)  \(tally.count) numbers, \(tally.priced) priced" + Self.totalsText(tally.totals))
            }
        }
        if !unpriced.isEmpty, listing > 0 {
            let listed = unpriced.prefix(listing)
            lines.append("without a price" + (unpricedCount > listed.count ? " (the first \(listed.count) of \(unpricedCount))" : "") + ":")
            for entry in listed { lines.append("  line \(entry.line): \(entry.number.isEmpty ? "(no number)" : entry.number): \(entry.error)") }
        }
        return lines.joined(separator: "\n")
    }

    private static func write(_ tally: Tally, into object: inout JSONObjectWriter) {
        object.integer("count", tally.count)
        object.integer("priced", tally.priced)
        write(tally.totals, into: &object)
    }

    private static func write(_ totals: [CurrencyCode: Int128], into object: inout JSONObjectWriter) {
        object.array("totals", totals.keys.sorted()) { entry, currency in
            entry.string("currency", currency.rawValue)
            entry.string("total", plain(totals[currency]!))
        }
    }

    private static func totalsText(_ totals: [CurrencyCode: Int128]) -> String {
        guard !totals.isEmpty else { return "" }
        return ", total " + totals.keys.sorted().map { "\(plain(totals[$0]!)) \($0.rawValue)" }.joined(separator: " + ")
    }

    static func plain(_ units: Int128) -> String {
        Amount.plainText(negative: units < 0, magnitude: units.magnitude)
    }
}
