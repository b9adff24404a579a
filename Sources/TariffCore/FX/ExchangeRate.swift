/// An exchange-rate value kept exactly as the source wrote it: `significand × 10^-decimals`.
public struct RateValue: Hashable, Sendable, CustomStringConvertible {
    public static let maxDecimals = 12
    public let significand: Int64
    public let decimals: Int

    /// Parses a positive plain decimal with at most 12 decimals (`1.0524`, `161.25`).
    public init(parsing text: some StringProtocol) throws(RateValueError) {
        var significand: Int64 = 0
        var decimals = 0
        var seenPoint = false
        var digits = 0
        for byte in Substring(text).utf8 {
            if byte == UInt8(ascii: "."), !seenPoint {
                seenPoint = true
                continue
            }
            guard byte >= 48, byte <= 57 else { throw .notADecimal(String(text)) }
            digits += 1
            if seenPoint { decimals += 1 }
            let (shifted, o1) = significand.multipliedReportingOverflow(by: 10)
            let (added, o2) = shifted.addingReportingOverflow(Int64(byte - 48))
            guard !o1, !o2 else { throw .outOfRange(String(text)) }
            significand = added
        }
        guard digits > 0 else { throw .notADecimal(String(text)) }
        guard decimals <= Self.maxDecimals else { throw .tooManyDecimals(String(text)) }
        guard significand > 0 else { throw .notPositive(String(text)) }
        self.significand = significand
        self.decimals = decimals
    }

    var fraction: Fraction { Fraction(numerator: Int128(significand), denominator: Int128(Amount.powerOfTen(decimals))) }

    public var description: String {
        let digits = String(significand)
        guard decimals > 0 else { return digits }
        let padded = String(repeating: "0", count: max(0, decimals + 1 - digits.count)) + digits
        return String(padded.dropLast(decimals)) + "." + String(padded.suffix(decimals))
    }
}

/// Why a text is not an exchange rate: not a decimal, too precise, zero or negative, or too large.
public enum RateValueError: Error, Equatable, Sendable, CustomStringConvertible {
    case notADecimal(String)
    case tooManyDecimals(String)
    case notPositive(String)
    case outOfRange(String)
    public var description: String {
        switch self {
        case .notADecimal(let t): "'\(t)' is not a decimal rate"
        case .tooManyDecimals(let t): "'\(t)' has more than \(RateValue.maxDecimals) decimals"
        case .notPositive(let t): "rate '\(t)' must be greater than zero"
        case .outOfRange(let t): "rate '\(t)' is out of range"
        }
    }
}

/// `1 base = rate quote` on a date, from a named source (`ECB`, a file name).
public struct ExchangeRate: Hashable, Sendable {
    public let date: Instant  // midnight UTC of the rate's day
    public let base: CurrencyCode
    public let quote: CurrencyCode
    public let rate: RateValue
    public let source: String

    public init(date: Instant, base: CurrencyCode, quote: CurrencyCode, rate: RateValue, source: String) {
        self.date = date
        self.base = base
        self.quote = quote
        self.rate = rate
        self.source = source
    }
}

/// An exact positive ratio, used for conversion factors; reduced so that cross rates stay small.
struct Fraction: Hashable, Sendable {
    var numerator: Int128
    var denominator: Int128

    init(numerator: Int128, denominator: Int128) {
        let divisor = Fraction.gcd(numerator.magnitude, denominator.magnitude)
        self.numerator = numerator / Int128(divisor)
        self.denominator = denominator / Int128(divisor)
    }

    var inverse: Fraction { Fraction(numerator: denominator, denominator: numerator) }

    func times(_ other: Fraction) -> Fraction? {
        let (n, o1) = numerator.multipliedReportingOverflow(by: other.numerator)
        let (d, o2) = denominator.multipliedReportingOverflow(by: other.denominator)
        guard !o1, !o2 else { return nil }
        return Fraction(numerator: n, denominator: d)
    }

    static func gcd(_ a: UInt128, _ b: UInt128) -> UInt128 {
        var (a, b) = (a, b)
        while b != 0 { (a, b) = (b, a % b) }
        return a == 0 ? 1 : a
    }
}
