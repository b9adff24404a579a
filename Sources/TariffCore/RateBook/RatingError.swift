/// Why a number or key has no price at an instant: no rate covers it (never a zero price).
public enum RatingError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownDestination(PhoneNumber)
    case unknownOrigin(String)
    case noPrice(PhoneNumber, product: Product, at: Instant)
    /// Not a number: no number of its country has that many digits.
    case impossibleLength(PhoneNumber, country: String?)

    /// The number itself is wrong, rather than unpriced: callers answer "not a number".
    public var isNotANumber: Bool {
        if case .impossibleLength = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .unknownDestination(let number): "\(number.e164) is in no known country's numbering plan"
        case .unknownOrigin(let origin): "origin '\(origin)' is not a known country or number"
        case .noPrice(let number, let product, let instant): "no \(product.rawValue) price for \(number.e164) at \(instant.iso8601)"
        case .impossibleLength(let number, let country):
            "\(number.e164) is not a possible number\(country.map { " of \($0)" } ?? ""): no number there has that many digits"
        }
    }
}
