/// A balance or a sum of transactions, in 10⁻⁸ units of one currency, held in 128 bits.
///
/// One transaction is an `Amount` (64 bits: up to 92 billion units of a currency, far beyond
/// any single charge). Sums are not: an account in VND or IDR turns over 10¹³ units of currency
/// and more in a few years, which is 10²¹ ten-billionths and overflows 64 bits. 128 bits hold
/// 1.7 × 10³⁸ ten-billionths, more money than has ever existed in any currency, so a balance
/// is never rounded, wrapped or capped; adding to it checks for overflow all the same.
public struct LedgerTotal: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var units: Int128

    public init(units: Int128) { self.units = units }

    public static let zero = LedgerTotal(units: 0)

    public init(_ amount: Amount) { units = Int128(amount.units) }

    public static func < (lhs: LedgerTotal, rhs: LedgerTotal) -> Bool { lhs.units < rhs.units }

    /// The total with `amount` added; nil if it would leave 128 bits (it cannot, in practice).
    public func adding(_ amount: Amount) -> LedgerTotal? {
        let (sum, overflow) = units.addingReportingOverflow(Int128(amount.units))
        return overflow ? nil : LedgerTotal(units: sum)
    }

    /// The exact decimal text, without trailing zeros (`"-12.5"`, `"0"`), as `Amount.plainText`.
    public var plainText: String { Amount.plainText(negative: units < 0, magnitude: units.magnitude) }

    /// Eight decimals always (`"-12.50000000"`), as Vonage and Voximplant write money.
    public var fixedText: String {
        let perWhole = UInt128(Amount.unitsPerWhole)
        let magnitude = units.magnitude
        let digits = String(magnitude % perWhole)
        return (units < 0 ? "-" : "") + String(magnitude / perWhole) + "."
            + String(repeating: "0", count: Amount.scale - digits.count) + digits
    }

    public var description: String { plainText }
}
