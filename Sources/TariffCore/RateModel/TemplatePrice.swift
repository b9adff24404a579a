/// A subscription template that is not a phone number: a SIP registration, a monthly package
/// ("500 MAU", "10,000 synthesis characters"), keyed by the name the deck gives it.
public struct TemplateKey: Hashable, Sendable, Comparable {
    /// `sip-registration`, `mau-500`, ...: lower-case letters, digits and `-`.
    public let name: String

    public init(name: String) { self.name = name }

    public static func < (lhs: TemplateKey, rhs: TemplateKey) -> Bool { lhs.name < rhs.name }
}

/// Units of a metered product a package includes every period; `variant` nil for every variant.
public struct Allowance: Hashable, Sendable, CustomStringConvertible {
    public let product: String
    public let variant: String?
    public let units: Int

    public init(product: String, variant: String?, units: Int) {
        self.product = product
        self.variant = variant
        self.units = units
    }

    /// `speech-synthesis=10000`, `speech-recognition/enhanced=3600`.
    public var description: String { product + (variant.map { "/" + $0 } ?? "") + "=\(units)" }

    /// A deck's `includes` cell: allowances separated by `;`. Nil when one is malformed or a
    /// product is named twice.
    public static func list(parsing text: some StringProtocol) -> [Allowance]? {
        var result: [Allowance] = []
        for item in text.split(separator: ";", omittingEmptySubsequences: true) {
            let parts = item.split(separator: "=", omittingEmptySubsequences: false)
            guard parts.count == 2 else { return nil }
            let name = parts[0].trimmingSpaces
            let count = parts[1].trimmingSpaces
            let nameParts = name.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard ServicePriceKey.isProductName(nameParts[0]), nameParts.count == 1 || ServicePriceKey.isToken(nameParts[1]),
                count.count <= 10, !count.isEmpty, count.allSatisfy(\.isASCIIDigit), let units = Int(count),
                (1...UnitIncrement.range.upperBound).contains(units)
            else { return nil }
            let allowance = Allowance(product: nameParts[0], variant: nameParts.count == 2 ? nameParts[1] : nil, units: units)
            guard !result.contains(where: { $0.product == allowance.product && $0.variant == allowance.variant }) else { return nil }
            result.append(allowance)
        }
        return result
    }
}

/// The terms of a subscription template: what it is, its fees, what it includes.
public struct TemplateTerms: Hashable, Sendable {
    /// Voximplant's template type: `SIP_REGISTRATION`, or a plan type (`MAU`, `IM`, `PACKAGE`, ...).
    public var type: String
    public var displayName: String
    /// One-time fee (NRC) and monthly fee (MRC).
    public var installation: Amount
    public var monthly: Amount
    public var currency: CurrencyCode
    /// Units of metered products included each month (packages; none for a SIP registration).
    public var includes: [Allowance]

    public init(type: String, displayName: String, installation: Amount, monthly: Amount, currency: CurrencyCode, includes: [Allowance]) {
        self.type = type
        self.displayName = displayName
        self.installation = installation
        self.monthly = monthly
        self.currency = currency
        self.includes = includes
    }

    /// SIP registrations are subscribed one by one; any other type is an account plan, one per type.
    public var isSIPRegistration: Bool { type == Self.sipRegistration }
    public static let sipRegistration = "SIP_REGISTRATION"

    /// Whether `text` can be a template type: 1 to 40 of `A-Z`, `0-9` and `_`, starting with a
    /// letter; `PHONE_NUM` belongs to numbers.
    public static func isType(_ text: some StringProtocol) -> Bool {
        guard (1...40).contains(text.utf8.count), let first = text.utf8.first, (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(first),
            text != "PHONE_NUM"
        else { return false }
        return text.utf8.allSatisfy {
            (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: "_")
        }
    }
}

/// One version of a template's price, as ``NumberPrice`` is for numbers.
public struct TemplatePrice: Sendable, Hashable, TimelineEntry {
    public let key: TemplateKey
    public let effectiveFrom: Instant
    public let terms: TemplateTerms?
    public var deckVersion: Int64

    public init(key: TemplateKey, effectiveFrom: Instant, terms: TemplateTerms?, deckVersion: Int64) {
        self.key = key
        self.effectiveFrom = effectiveFrom
        self.terms = terms
        self.deckVersion = deckVersion
    }

    public func closing(at instant: Instant) -> TemplatePrice {
        TemplatePrice(key: key, effectiveFrom: instant, terms: nil, deckVersion: deckVersion)
    }
    public func moved(to instant: Instant) -> TemplatePrice {
        TemplatePrice(key: key, effectiveFrom: instant, terms: terms, deckVersion: deckVersion)
    }
}
