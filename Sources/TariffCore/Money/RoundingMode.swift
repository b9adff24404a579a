/// How a value that falls between two representable amounts is resolved.
///
/// Every rounding point in Tariff names its mode and its number of decimals (see ``Rounding``),
/// so that a charge can always be explained.
public enum RoundingMode: String, Sendable, CaseIterable, Codable {
    /// Away from zero: a partly used unit is charged in full (the usual telecom practice).
    case up
    /// Towards zero: truncation.
    case down
    /// Towards positive infinity.
    case ceiling
    /// Towards negative infinity.
    case floor
    /// To nearest, ties away from zero.
    case halfUp = "half-up"
    /// To nearest, ties to the even neighbour (banker's rounding).
    case halfEven = "half-even"
}

/// A rounding step: the number of decimals to keep and how to drop the rest.
public struct Rounding: Sendable, Hashable, Codable, CustomStringConvertible {
    public var decimals: Int
    public var mode: RoundingMode

    public init(decimals: Int, mode: RoundingMode) {
        precondition((0...Amount.scale).contains(decimals), "Tariff keeps at most \(Amount.scale) decimals")
        self.decimals = decimals
        self.mode = mode
    }

    /// Charges are computed to the full scale and rounded up: a fraction of a unit is never given away silently.
    public static let charge = Rounding(decimals: Amount.scale, mode: .up)
    /// Currency conversion keeps the full scale and rounds to nearest even, so that it has no bias.
    public static let conversion = Rounding(decimals: Amount.scale, mode: .halfEven)

    public var description: String { "\(decimals) decimals, \(mode.rawValue)" }
}

extension RoundingMode {
    /// Divides exactly and rounds once: `numerator / denominator` in this mode.
    /// `denominator` must be positive.
    public func divide(_ numerator: Int128, by denominator: Int128) -> Int128 {
        precondition(denominator > 0)
        let quotient = numerator / denominator  // truncates towards zero
        let remainder = numerator % denominator  // has the sign of the numerator
        if remainder == 0 { return quotient }
        let sign: Int128 = numerator < 0 ? -1 : 1
        let twice = remainder.magnitude * 2
        let half = denominator.magnitude
        switch self {
        case .down: return quotient
        case .up: return quotient + sign
        case .ceiling: return sign > 0 ? quotient + 1 : quotient
        case .floor: return sign < 0 ? quotient - 1 : quotient
        case .halfUp: return twice >= half ? quotient + sign : quotient
        case .halfEven:
            if twice > half { return quotient + sign }
            if twice < half { return quotient }
            return quotient % 2 == 0 ? quotient : quotient + sign
        }
    }
}
