/// What a metered service price applies to: a product that is not a phone call or a message
/// (speech synthesis, recognition, app-to-app calls, recording, ...), optionally only for one
/// variant of it (a voice, a language, a model) or one country.
public struct ServicePriceKey: Hashable, Sendable, Comparable {
    /// The deck's product name: lower-case letters, digits and `-` (`speech-synthesis`).
    public let product: String
    public let variant: String?
    public let country: String?

    public init(product: String, variant: String?, country: String?) {
        self.product = product
        self.variant = variant
        self.country = country
    }

    public static func < (lhs: ServicePriceKey, rhs: ServicePriceKey) -> Bool {
        (lhs.product, lhs.variant ?? "", lhs.country ?? "") < (rhs.product, rhs.variant ?? "", rhs.country ?? "")
    }

    /// A short human form: `speech-synthesis variant en-US-Neural2 ES`.
    public var label: String {
        var parts = [product]
        if let variant { parts.append("variant \(variant)") }
        if let country { parts.append(country) }
        return parts.joined(separator: " ")
    }

    /// Whether `name` can name a metered product: 1 to 40 of `a-z`, `0-9` and `-`, starting
    /// with a letter, and not one of the phone-number products.
    public static func isProductName(_ name: some StringProtocol) -> Bool {
        guard (1...40).contains(name.utf8.count), let first = name.utf8.first, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first)
        else { return false }
        let allowed = name.utf8.allSatisfy {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: "-")
        }
        return allowed && Product(rawValue: String(name)) == nil && name != "voice" && name != "sms"
    }

    /// Whether `text` can be a variant or a unit name: 1 to 64 printable ASCII characters
    /// without spaces, commas or quotes, so that it reads the same in CSV, JSON and a query.
    public static func isToken(_ text: some StringProtocol) -> Bool {
        (1...64).contains(text.utf8.count)
            && text.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: ",") && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
    }
}

/// How used units are rounded before they are priced: the first `initial` units are charged
/// as a block, then blocks of `subsequent` (speech recognition per 15 s: `15/15`).
public struct UnitIncrement: Hashable, Sendable, CustomStringConvertible {
    public let initial: Int
    public let subsequent: Int

    /// Blocks up to a billion units: enough for characters and bytes, far from overflowing.
    public static let range = 1...1_000_000_000

    public init?(initial: Int, subsequent: Int) {
        guard Self.range.contains(initial), Self.range.contains(subsequent) else { return nil }
        self.initial = initial
        self.subsequent = subsequent
    }

    /// `15/15`, `1-1`, or one number for both (`15`).
    public init?(parsing text: some StringProtocol) {
        let parts = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "/" || $0 == "-" }).map { $0.trimmingSpaces }
        guard (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.count <= 10 && $0.allSatisfy(\.isASCIIDigit) }),
            let first = Int(parts[0]), let second = Int(parts.last!)
        else { return nil }
        self.init(initial: first, subsequent: second)
    }

    public static let perUnit = UnitIncrement(initial: 1, subsequent: 1)!

    /// The units charged for `units` used: none for none, the first block for a few, then
    /// whole blocks. `units` is at most ``UsageCharge/usageRange``'s bound, so nothing overflows.
    public func billedUnits(for units: Int) -> Int {
        guard units > 0 else { return 0 }
        guard units > initial else { return initial }
        return initial + ((units - initial - 1) / subsequent + 1) * subsequent
    }

    public var description: String { "\(initial)/\(subsequent)" }
}

/// The terms of a metered service price.
public struct ServicePriceTerms: Hashable, Sendable {
    /// What is counted: `character`, `request`, `second`, `minute`, `megabyte`, ...
    public var unit: String
    /// The price of `perUnits` units.
    public var price: Amount
    /// How many units `price` is for (Voximplant's `num_resources_per_price`): 1, 60, 1000000, ...
    public var perUnits: Int
    /// The fewest units one use is charged for (0: none).
    public var minimum: Int
    public var increment: UnitIncrement
    /// Charged once per use that is charged at all.
    public var setupFee: Amount
    public var currency: CurrencyCode
    public var description: String
    /// The Voximplant resource it is listed under (`TTS_GOOGLE`, `ASR`, ...).
    public var resource: String

    public init(
        unit: String,
        price: Amount,
        perUnits: Int,
        minimum: Int,
        increment: UnitIncrement,
        setupFee: Amount,
        currency: CurrencyCode,
        description: String,
        resource: String
    ) {
        self.unit = unit
        self.price = price
        self.perUnits = perUnits
        self.minimum = minimum
        self.increment = increment
        self.setupFee = setupFee
        self.currency = currency
        self.description = description
        self.resource = resource
    }

    /// `1 character`, `16 seconds`: quantities for people, so a plain English plural.
    public static func counted(_ value: Int, _ unit: String) -> String {
        value == 1 || unit.hasSuffix("s") ? "\(value) \(unit)" : "\(value) \(unit)s"
    }

    /// `perUnits` and `minimum` are at most this: a billion units of anything.
    public static let unitRange = 0...1_000_000_000
}

/// One version of a metered service price, as ``Rate`` is for calls and messages.
public struct ServicePrice: Sendable, Hashable, TimelineEntry {
    public let key: ServicePriceKey
    public let effectiveFrom: Instant
    public let terms: ServicePriceTerms?
    public var deckVersion: Int64

    public init(key: ServicePriceKey, effectiveFrom: Instant, terms: ServicePriceTerms?, deckVersion: Int64) {
        self.key = key
        self.effectiveFrom = effectiveFrom
        self.terms = terms
        self.deckVersion = deckVersion
    }

    public func closing(at instant: Instant) -> ServicePrice { ServicePrice(key: key, effectiveFrom: instant, terms: nil, deckVersion: deckVersion) }
    public func moved(to instant: Instant) -> ServicePrice { ServicePrice(key: key, effectiveFrom: instant, terms: terms, deckVersion: deckVersion) }
}
