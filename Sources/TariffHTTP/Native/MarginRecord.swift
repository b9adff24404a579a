public import TariffCore

/// The margin report as the operator route and `tariff report margin --format json` give it.
public struct MarginReportRecord: Encodable, Sendable {
    public struct Line: Encodable, Sendable {
        let key: String
        let currency: String
        let charges: Int
        let revenue: String
        let cost: String
        let margin: String
        /// Margin over revenue, in percent; absent without revenue.
        let marginPercent: String?

        init(_ line: MarginLine) {
            key = line.key
            currency = line.currency.rawValue
            charges = line.charges
            revenue = line.revenue.fixedText
            cost = line.cost.fixedText
            margin = line.margin.fixedText
            marginPercent = line.marginPercent
        }

        /// The line's cells, in the order of ``MarginReportRecord/csvHeader``.
        var cells: [String] { [key, currency, String(charges), revenue, cost, margin, marginPercent ?? ""] }
    }

    let by: String
    let from: String?
    let to: String?
    let lines: [Line]
    /// One line per currency: amounts in different currencies are never added.
    let totals: [Line]

    public init(_ query: MarginQuery, lines: [MarginLine]) {
        by = query.by.rawValue
        from = query.from?.iso8601
        to = query.until?.iso8601
        self.lines = lines.map(Line.init)
        totals = MarginLine.totals(lines).map(Line.init)
    }

    public static let csvHeader = ["key", "currency", "charges", "revenue", "cost", "margin", "margin_percent"]

    /// Every line then the totals, as CSV rows (the totals keyed `total`).
    public var csv: String {
        ([Self.csvHeader] + (lines + totals).map(\.cells)).map { $0.map(CSVCell.escaped).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    /// Aligned columns for a terminal.
    public var rows: [[String]] { (lines + totals).map(\.cells) }
}
