/// An exact decimal amount with ``Amount/scale`` (8) fractional digits, held as an integer
/// count of 10⁻⁸ units. Never a binary floating point number.
///
/// 8 decimals is what rate decks and the Vonage API carry (`"0.06500000"`); results that need
/// more (a per-second share of a per-minute price, a currency conversion) are rounded at a
/// named ``Rounding`` point.
public struct Amount: Hashable, Comparable, Sendable {
    public static let scale = 8
    public static let unitsPerWhole: Int64 = 100_000_000

    /// The amount in 10⁻⁸ units.
    public var units: Int64

    public init(units: Int64) { self.units = units }

    public static let zero = Amount(units: 0)

    public init(whole: Int64) throws(AmountError) {
        let (value, overflow) = whole.multipliedReportingOverflow(by: Self.unitsPerWhole)
        guard !overflow else { throw .overflow }
        units = value
    }

    public static func < (lhs: Amount, rhs: Amount) -> Bool { lhs.units < rhs.units }

    public var isNegative: Bool { units < 0 }
}

/// Why a decimal text or an operation could not give an ``Amount``.
public enum AmountError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case notADecimal(String)
    case tooManyDecimals(String, max: Int)
    case overflow

    public var description: String {
        switch self {
        case .empty: "empty amount"
        case .notADecimal(let text): "'\(text)' is not a decimal number"
        case .tooManyDecimals(let text, let max): "'\(text)' has more than \(max) decimals"
        case .overflow: "amount out of range"
        }
    }
}

extension Amount {
    /// Parses a plain decimal (`12`, `-0.065`, `.5`, `0.06500000`) without loss.
    /// Exponents, grouping separators and more than 8 decimals are rejected, never rounded.
    public init(parsing text: some StringProtocol) throws(AmountError) {
        var bytes = Substring(text).utf8[...]
        guard !bytes.isEmpty else { throw .empty }
        var negative = false
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        var whole: Int64 = 0
        var fraction: Int64 = 0
        var decimals = 0
        var digits = 0
        var seenPoint = false
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                guard !seenPoint else { throw .notADecimal(String(text)) }
                seenPoint = true
                continue
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { throw .notADecimal(String(text)) }
            let digit = Int64(byte - UInt8(ascii: "0"))
            digits += 1
            if seenPoint {
                decimals += 1
                guard decimals <= Self.scale else { throw .tooManyDecimals(String(text), max: Self.scale) }
                fraction = fraction * 10 + digit
            } else {
                let (shifted, o1) = whole.multipliedReportingOverflow(by: 10)
                let (added, o2) = shifted.addingReportingOverflow(digit)
                guard !o1, !o2 else { throw .overflow }
                whole = added
            }
        }
        guard digits > 0 else { throw .notADecimal(String(text)) }
        for _ in decimals..<Self.scale { fraction *= 10 }
        let (scaled, o1) = whole.multipliedReportingOverflow(by: Self.unitsPerWhole)
        let (total, o2) = scaled.addingReportingOverflow(fraction)
        guard !o1, !o2 else { throw .overflow }
        units = negative ? -total : total
    }

    /// The amount with exactly `decimals` fractional digits, rounded in `mode` when digits are dropped.
    /// `formatted(decimals: 8)` of a parsed amount gives its text back with trailing zeros (`"0.06500000"`).
    public func formatted(decimals: Int = Amount.scale, mode: RoundingMode = .halfEven) -> String {
        let rounded = self.rounded(Rounding(decimals: decimals, mode: mode))
        let magnitude = rounded.units.magnitude
        let whole = magnitude / UInt64(Self.unitsPerWhole)
        var text = (rounded.units < 0 ? "-" : "") + String(whole)
        if decimals > 0 {
            let fraction = magnitude % UInt64(Self.unitsPerWhole) / Self.powerOfTen(Self.scale - decimals)
            let digits = String(fraction)
            text += "." + String(repeating: "0", count: decimals - digits.count) + digits
        }
        return text
    }

    /// ``formatted(decimals:mode:)``'s text with all eight decimals, appended to `output`
    /// without a `String` between: bulk answers write millions.
    public func appendFormatted(to output: inout [UInt8]) {
        let magnitude = units.magnitude
        if units < 0 { output.append(UInt8(ascii: "-")) }
        Self.appendDigits(of: magnitude / UInt64(Self.unitsPerWhole), minimumWidth: 1, to: &output)
        output.append(UInt8(ascii: "."))
        Self.appendDigits(of: magnitude % UInt64(Self.unitsPerWhole), minimumWidth: Self.scale, to: &output)
    }

    /// `value`'s decimal digits, zero-padded on the left to `minimumWidth`.
    private static func appendDigits(of value: UInt64, minimumWidth: Int, to output: inout [UInt8]) {
        // UInt64 has at most 20 digits.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buffer in
            var value = value
            var start = 20
            repeat {
                start -= 1
                buffer[start] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: value % 10)
                value /= 10
            } while value > 0 || 20 - start < minimumWidth
            output.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start...]))
        }
    }

    /// The shortest exact text: no trailing zeros (`"0.065"`, `"12"`). Written directly, not
    /// by trimming ``formatted(decimals:mode:)``: an export formats millions of these.
    public var plainText: String { Self.plainText(negative: units < 0, magnitude: units.magnitude) }

    /// The shortest exact text of `magnitude` ten-billionths: shared by `Amount` (64 bits) and
    /// `LedgerTotal` (128), specialised for each.
    @inline(__always)
    static func plainText<Magnitude: FixedWidthInteger & UnsignedInteger>(negative: Bool, magnitude: Magnitude) -> String {
        let perWhole = Magnitude(unitsPerWhole)
        var text = (negative ? "-" : "") + String(magnitude / perWhole)
        var fraction = magnitude % perWhole
        guard fraction != 0 else { return text }
        var width = scale
        while fraction % 10 == 0 {
            fraction /= 10
            width -= 1
        }
        let digits = String(fraction)
        text += "." + String(repeating: "0", count: width - digits.count) + digits
        return text
    }

    /// Drops digits beyond `rounding.decimals` in `rounding.mode`.
    public func rounded(_ rounding: Rounding) -> Amount {
        let step = Int128(Self.powerOfTen(Self.scale - rounding.decimals))
        guard step > 1 else { return self }
        let steps = rounding.mode.divide(Int128(units), by: step)
        // Within one step of Int64's limits, rounding away from zero has no room: the value
        // rounded towards zero is the nearest representable one.
        guard let rounded = Int64(exactly: steps * step) else {
            return Amount(units: Int64(RoundingMode.down.divide(Int128(units), by: step) * step))
        }
        return Amount(units: rounded)
    }

    static func powerOfTen(_ exponent: Int) -> UInt64 {
        var value: UInt64 = 1
        for _ in 0..<exponent { value *= 10 }
        return value
    }
}

extension Amount: CustomStringConvertible {
    public var description: String { plainText }
}

extension Amount {
    public static func + (lhs: Amount, rhs: Amount) throws(AmountError) -> Amount {
        let (value, overflow) = lhs.units.addingReportingOverflow(rhs.units)
        guard !overflow else { throw .overflow }
        return Amount(units: value)
    }

    public static func - (lhs: Amount, rhs: Amount) throws(AmountError) -> Amount {
        let (value, overflow) = lhs.units.subtractingReportingOverflow(rhs.units)
        guard !overflow else { throw .overflow }
        return Amount(units: value)
    }

    /// `self × numerator / denominator`, computed exactly and rounded once.
    public func scaled(by numerator: Int64, over denominator: Int64, rounding: Rounding) throws(AmountError) -> Amount {
        precondition(denominator > 0)
        let step = Int128(Self.powerOfTen(Self.scale - rounding.decimals))
        let steps = rounding.mode.divide(Int128(units) * Int128(numerator), by: Int128(denominator) * step)
        let result = steps * step
        guard let units = Int64(exactly: result) else { throw .overflow }
        return Amount(units: units)
    }
}
