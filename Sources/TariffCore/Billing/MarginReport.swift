/// How the margin report groups charges.
public enum MarginGrouping: String, Sendable, CaseIterable {
    case account, country, product
}

/// Revenue, cost and margin of the usage charges of one group in one currency: the charges
/// priced through a price plan, whose cost (the deck's price) was recorded beside them.
/// Totals are exact sums of the stored amounts, never of rounded figures.
public struct MarginLine: Sendable, Hashable {
    /// The account's id, the country's ISO code or the product's name; empty when unknown.
    public let key: String
    public let currency: CurrencyCode
    public let charges: Int
    public let revenue: LedgerTotal
    public let cost: LedgerTotal

    public init(key: String, currency: CurrencyCode, charges: Int, revenue: LedgerTotal, cost: LedgerTotal) {
        self.key = key
        self.currency = currency
        self.charges = charges
        self.revenue = revenue
        self.cost = cost
    }

    public var margin: LedgerTotal { LedgerTotal(units: revenue.units - cost.units) }

    /// Margin over revenue, in percent to 2 decimals (rounded half-even); nil without revenue.
    public var marginPercent: String? {
        guard revenue.units > 0 else { return nil }
        let hundredths = RoundingMode.halfEven.divide(margin.units * 10_000, by: revenue.units)
        let magnitude = hundredths.magnitude
        let fraction = String(magnitude % 100)
        return (hundredths < 0 ? "-" : "") + "\(magnitude / 100)." + String(repeating: "0", count: 2 - fraction.count) + fraction
    }
}

/// Which charges the margin report adds up: performed in `[from, until)`, grouped by `by`.
public struct MarginQuery: Sendable, Hashable {
    public var by: MarginGrouping
    public var from: Instant?
    public var until: Instant?

    public init(by: MarginGrouping, from: Instant? = nil, until: Instant? = nil) {
        self.by = by
        self.from = from
        self.until = until
    }

    /// Why a report's parameter was refused: its name (`by`, `from`, `to`) and the reason.
    public struct Invalid: Error, Sendable, CustomStringConvertible {
        public let parameter: String
        public let reason: String
        public var description: String { "\(parameter): \(reason)" }
    }

    /// The query as the command line and the operator route give it: `by` (account by
    /// default), and `from` / `to` instants, `to` after `from`.
    public init(by: String?, from: String?, to: String?) throws(Invalid) {
        guard let grouping = MarginGrouping(rawValue: by ?? MarginGrouping.account.rawValue) else {
            throw Invalid(parameter: "by", reason: "'\(by ?? "")': \(MarginGrouping.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self.by = grouping
        do { self.from = try from.map { try Instant(parsing: $0) } } catch { throw Invalid(parameter: "from", reason: "\(error)") }
        do { until = try to.map { try Instant(parsing: $0) } } catch { throw Invalid(parameter: "to", reason: "\(error)") }
        if let start = self.from, let end = until, end <= start { throw Invalid(parameter: "to", reason: "must be after from") }
    }
}

extension MarginLine {
    /// One line per currency adding up `lines` (amounts in different currencies never add).
    public static func totals(_ lines: [MarginLine]) -> [MarginLine] {
        var byCurrency: [CurrencyCode: MarginLine] = [:]
        for line in lines {
            let held = byCurrency[line.currency] ?? MarginLine(key: "total", currency: line.currency, charges: 0, revenue: .zero, cost: .zero)
            byCurrency[line.currency] = MarginLine(
                key: "total",
                currency: line.currency,
                charges: held.charges + line.charges,
                revenue: LedgerTotal(units: held.revenue.units + line.revenue.units),
                cost: LedgerTotal(units: held.cost.units + line.cost.units)
            )
        }
        return byCurrency.keys.sorted { $0.rawValue < $1.rawValue }.map { byCurrency[$0]! }
    }
}
