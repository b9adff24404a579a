/// One exchange rate read from a file: `rate` units of `quote` per 1 `base`,
/// kept as the exact decimal text of the file.
public struct ParsedRate: Sendable, Equatable {
    /// 1-based line of the rate in its file.
    public let line: Int
    /// YYYY-MM-DD.
    public let date: String
    /// ISO 4217 code of the currency being priced (EUR for ECB files).
    public let base: String
    /// ISO 4217 code of the currency the rate is expressed in.
    public let quote: String
    /// Units of `quote` per 1 `base`, exactly as written in the file.
    public let rate: String

    /// Makes a rate; the parsers validate their fields, this does not.
    public init(line: Int, date: String, base: String, quote: String, rate: String) {
        self.line = line
        self.date = date
        self.base = base
        self.quote = quote
        self.rate = rate
    }
}
