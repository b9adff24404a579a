/// What a rate row prices: the identity that later versions of the same price share.
///
/// For outbound products `country`, `network` and `prefix` describe the number called; for
/// inbound products `country` and `numberType` describe the number called while `network`
/// and `prefix` describe the caller.
public struct RateKey: Hashable, Sendable, Comparable {
    public let product: Product
    public let origin: OriginScope
    public let country: String?
    public let network: String?
    public let prefix: String?
    public let numberType: String?

    public init(product: Product, origin: OriginScope, country: String?, network: String?, prefix: String?, numberType: String?) {
        self.product = product
        self.origin = origin
        self.country = country
        self.network = network
        self.prefix = prefix
        self.numberType = numberType
    }

    public static func < (lhs: RateKey, rhs: RateKey) -> Bool {
        (lhs.product, lhs.origin, lhs.country ?? "", lhs.prefix ?? "", lhs.network ?? "", lhs.numberType ?? "")
            < (rhs.product, rhs.origin, rhs.country ?? "", rhs.prefix ?? "", rhs.network ?? "", rhs.numberType ?? "")
    }

    /// A short human form: `voice-outbound/international ES 21407`.
    public var label: String {
        var parts = ["\(product.rawValue)/\(origin.rawValue)"]
        if let country { parts.append(country) }
        if let network { parts.append("network \(network)") }
        if let prefix { parts.append("prefix \(prefix)") }
        if let numberType { parts.append(numberType) }
        return parts.joined(separator: " ")
    }
}

/// The terms of a price: everything a change of price may change.
public struct RateTerms: Hashable, Sendable {
    public var price: Amount
    public var currency: CurrencyCode
    /// Voice only; nil for messages.
    public var increment: BillingIncrement?
    public var connectFee: Amount
    public var description: String
    /// The Voximplant resource the row belongs to (`PSTN_INTERNATIONAL`, `SMSOUT`, ...).
    public var resource: String

    public init(price: Amount, currency: CurrencyCode, increment: BillingIncrement?, connectFee: Amount, description: String, resource: String) {
        self.price = price
        self.currency = currency
        self.increment = increment
        self.connectFee = connectFee
        self.description = description
        self.resource = resource
    }
}

/// One version of a price: from `effectiveFrom` on (until a later version), `terms` apply to
/// `key`; a closed version ends the price instead. Versions are only ever added.
public struct Rate: Sendable, Hashable, TimelineEntry {
    public let key: RateKey
    public let effectiveFrom: Instant
    /// Nil when this version closes the price (the row was removed from the deck).
    public let terms: RateTerms?
    /// The deck version that added it; the newest wins between versions of the same instant.
    public var deckVersion: Int64

    public init(key: RateKey, effectiveFrom: Instant, terms: RateTerms?, deckVersion: Int64) {
        self.key = key
        self.effectiveFrom = effectiveFrom
        self.terms = terms
        self.deckVersion = deckVersion
    }

    public func closing(at instant: Instant) -> Rate { Rate(key: key, effectiveFrom: instant, terms: nil, deckVersion: deckVersion) }
    public func moved(to instant: Instant) -> Rate { Rate(key: key, effectiveFrom: instant, terms: terms, deckVersion: deckVersion) }
}

/// Where a phone-number subscription price applies.
public struct NumberPriceKey: Hashable, Sendable, Comparable {
    public let country: String
    /// Voximplant category names: `GEOGRAPHIC`, `MOBILE`, `TOLLFREE`, `NATIONAL`, ...
    public let category: String
    /// Area code or prefix of the region; nil for the whole country.
    public let regionCode: String?

    public init(country: String, category: String, regionCode: String?) {
        self.country = country
        self.category = category
        self.regionCode = regionCode
    }

    public static func < (lhs: NumberPriceKey, rhs: NumberPriceKey) -> Bool {
        (lhs.country, lhs.category, lhs.regionCode ?? "") < (rhs.country, rhs.category, rhs.regionCode ?? "")
    }

    public var label: String { "\(country) \(category)" + (regionCode.map { " region \($0)" } ?? "") }
}

/// The fees of a phone-number subscription.
public struct NumberPriceTerms: Hashable, Sendable {
    public var regionName: String?
    /// One-time fee (NRC).
    public var installation: Amount
    /// Monthly fee (MRC).
    public var monthly: Amount
    public var currency: CurrencyCode
    /// The resource that prices incoming calls to such numbers (`PSTN_IN_TOLLFREE_CO`).
    public var incomingResource: String?

    public init(regionName: String?, installation: Amount, monthly: Amount, currency: CurrencyCode, incomingResource: String?) {
        self.regionName = regionName
        self.installation = installation
        self.monthly = monthly
        self.currency = currency
        self.incomingResource = incomingResource
    }
}

/// One version of a subscription price, as ``Rate`` is for usage.
public struct NumberPrice: Sendable, Hashable, TimelineEntry {
    public let key: NumberPriceKey
    public let effectiveFrom: Instant
    public let terms: NumberPriceTerms?
    public var deckVersion: Int64

    public init(key: NumberPriceKey, effectiveFrom: Instant, terms: NumberPriceTerms?, deckVersion: Int64) {
        self.key = key
        self.effectiveFrom = effectiveFrom
        self.terms = terms
        self.deckVersion = deckVersion
    }

    public func closing(at instant: Instant) -> NumberPrice { NumberPrice(key: key, effectiveFrom: instant, terms: nil, deckVersion: deckVersion) }
    public func moved(to instant: Instant) -> NumberPrice { NumberPrice(key: key, effectiveFrom: instant, terms: terms, deckVersion: deckVersion) }
}
