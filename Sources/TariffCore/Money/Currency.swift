/// An ISO 4217 alphabetic code (`EUR`, `USD`). Validated for shape only; whether the code
/// exists is the ``CurrencyTable``'s business.
public struct CurrencyCode: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: String

    /// Accepts three ASCII letters in any case and upper-cases them.
    public init?(_ text: some StringProtocol) {
        let upper = text.uppercased()
        guard upper.utf8.count == 3, upper.utf8.allSatisfy({ $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) else {
            return nil
        }
        rawValue = upper
    }

    public var description: String { rawValue }
    public static func < (lhs: CurrencyCode, rhs: CurrencyCode) -> Bool { lhs.rawValue < rhs.rawValue }

    public static let EUR = CurrencyCode("EUR")!
    public static let USD = CurrencyCode("USD")!
}

/// One ISO 4217 currency.
public struct Currency: Hashable, Sendable {
    public let code: CurrencyCode
    public let numeric: String
    public let name: String
    /// Decimals in everyday use (2 for EUR, 0 for JPY, 3 for KWD); nil for codes that have none (XAU).
    public let minorUnits: Int?

    public init(code: CurrencyCode, numeric: String, name: String, minorUnits: Int?) {
        self.code = code
        self.numeric = numeric
        self.name = name
        self.minorUnits = minorUnits
    }
}

/// The currencies Tariff knows, from the shipped ISO 4217 list.
public struct CurrencyTable: Sendable {
    public let all: [CurrencyCode: Currency]

    public init(_ currencies: [Currency]) {
        all = Dictionary(currencies.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public subscript(code: CurrencyCode) -> Currency? { all[code] }

    /// The code, if it is a known currency.
    public func known(_ text: some StringProtocol) -> CurrencyCode? {
        guard let code = CurrencyCode(text), all[code] != nil else { return nil }
        return code
    }
}

/// An amount in a currency.
public struct Money: Hashable, Sendable, CustomStringConvertible {
    public var amount: Amount
    public var currency: CurrencyCode

    public init(_ amount: Amount, _ currency: CurrencyCode) {
        self.amount = amount
        self.currency = currency
    }

    public var description: String { "\(amount.plainText) \(currency)" }
}
