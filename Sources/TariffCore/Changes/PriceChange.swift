/// One point in a price's timeline where what is charged changes: a price that starts, rises,
/// falls, closes, or keeps its amount with other terms (increment, connect fee, currency). The
/// change feed lists them; `old` is what was in force just before `effectiveFrom`.
public struct PriceChange: Sendable, Hashable {
    /// What is priced: a rate of a calling or messaging product, or a number category's fees.
    public enum Subject: Sendable, Hashable {
        case rate(RateKey)
        case number(NumberPriceKey)

        /// The product's name: a rate product's, or `numbers` for subscription fees.
        public var product: String {
            switch self {
            case .rate(let key): key.product.rawValue
            case .number: Self.numbers
            }
        }

        public var label: String {
            switch self {
            case .rate(let key): key.label
            case .number(let key): "numbers \(key.label)"
            }
        }

        public static let numbers = "numbers"
    }

    /// One side of the change: the price per minute or message (a number's monthly fee), and a
    /// number's one-time fee.
    public struct Side: Sendable, Hashable {
        public let price: Money
        public let setup: Money?
        public let effectiveFrom: Instant
        public let deckVersion: Int64
    }

    public let subject: Subject
    /// The ISO 3166 code of the country priced, where one is known.
    public let country: String?
    public let change: DeckDiff.Change
    public let old: Side?
    public let new: Side?
    public let effectiveFrom: Instant
    /// The deck version that scheduled the change.
    public let deckVersion: Int64
}

/// Where a change feed starts: after a deck version (what imports after it changed), or at an
/// instant (changes that take effect then or later).
public enum ChangeSince: Sendable, Hashable {
    case version(Int64)
    case time(Instant)

    /// A deck version (digits only) or an instant in any form ``Instant`` reads.
    public init(parsing text: String) throws(InstantParseError) {
        if !text.isEmpty, text.utf8.count <= 18, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            let version = Int64(text)
        {
            self = .version(version)
        } else {
            self = .time(try Instant(parsing: text))
        }
    }

    func includes(effectiveFrom: Int64, deckVersion: Int64) -> Bool {
        switch self {
        case .version(let version): deckVersion > version
        case .time(let instant): effectiveFrom >= instant.secondsSince1970
        }
    }

    func includes<Entry: TimelineEntry>(_ entry: Entry) -> Bool {
        includes(effectiveFrom: entry.effectiveFrom.secondsSince1970, deckVersion: entry.deckVersion)
    }
}
