/// How a charge was computed, kept with the transaction, so that "why was I charged this?"
/// is answered from the transaction alone: the usage, the row that priced it and its deck
/// version, the cost in the row's currency and its rounding, the exchange rates used with
/// their dates and sources, and the amount in the account's currency.
public struct ChargeExplanation: Codable, Sendable, Hashable {
    /// One stored exchange rate a conversion used: `1 base = rate quote` on `date`.
    public struct RateUsed: Codable, Sendable, Hashable {
        public let date: String
        public let base: String
        public let quote: String
        public let rate: String
        public let source: String
    }

    public let product: String
    /// The number called; absent for a metered product.
    public let to: String?
    public let from: String?
    public internal(set) var occurredAt: String
    /// `seconds` or `messages`, as reported.
    public let quantity: Int
    public let unit: String
    /// Seconds billed after the increment (calls only).
    public let billedSeconds: Int?
    public let list: String
    public let row: String
    public let matchedBy: String
    public let deckVersion: Int64
    public let effectiveFrom: String
    public let price: String
    public let priceCurrency: String
    public let increment: String?
    public let connectFee: String?
    /// The cost in the row's currency, rounded once as `rounding` says.
    public let cost: String
    public let rounding: String
    public let exchangeRates: [RateUsed]
    public let conversionRounding: String?
    /// The charge in the account's currency (positive: what the account pays).
    public let amount: String
    public let currency: String
    /// Metered products only: the variant and country the usage was for (as reported), the
    /// units charged after the minimum and the increment, and how many units `price` is for.
    public internal(set) var variant: String? = nil
    public internal(set) var country: String? = nil
    public internal(set) var billedUnits: Int? = nil
    public internal(set) var perUnits: Int? = nil
    public internal(set) var minimum: Int? = nil
    /// Units a package included, not charged (the rest were rated as a use of their own).
    public internal(set) var includedUnits: Int? = nil
}

/// Usage rated and converted into the account's currency: what a charge posts.
public struct RatedUsage: Sendable, Hashable {
    /// What the account pays, in its currency (zero or more).
    public let amount: Amount
    public let explanation: ChargeExplanation
    /// What the same usage costs at the deck's price, in the account's currency at the same
    /// exchange rates, when a price plan made the price from the deck's; nil otherwise.
    public private(set) var cost: Amount? = nil

    /// Rates `seconds` of a call or `messages` messages under `quote` and converts the cost
    /// into `currency` with `exchange` (the table in force when the usage occurred).
    public init(
        quote: PriceQuote,
        from origin: String?,
        seconds: Int?,
        messages: Int?,
        currency: CurrencyCode,
        exchange: ExchangeRateTable
    ) throws(RatingFailure) {
        let terms = quote.terms
        func charged(_ terms: RateTerms) throws(RatingFailure) -> UsageCharge {
            do {
                if let seconds { return try UsageCharge.call(terms, seconds: seconds) }
                return try UsageCharge.messages(terms, count: messages ?? 0)
            } catch {
                throw .overflow
            }
        }
        let charge = try charged(terms)
        let converted: Money
        do { converted = try exchange.convert(Money(charge.total, charge.currency), to: currency) } catch { throw .conversion(error) }
        if let deck = quote.deckRate?.terms {
            // Rounded as the price is, by the same steps: revenue and cost compare exactly.
            let deckCharge = try charged(deck)
            do { cost = try exchange.convert(Money(deckCharge.total, deckCharge.currency), to: currency).amount } catch { throw .conversion(error) }
        }
        let used = exchange.ratesUsed(from: charge.currency, to: currency) ?? []
        amount = converted.amount
        explanation = ChargeExplanation(
            product: quote.product.rawValue,
            to: quote.number.e164,
            from: origin,
            occurredAt: quote.instant.iso8601,
            quantity: seconds ?? messages ?? 0,
            unit: seconds == nil ? "messages" : "seconds",
            billedSeconds: seconds == nil ? nil : charge.billedSeconds,
            list: quote.list.rawValue,
            row: quote.rate.key.label,
            matchedBy: quote.match.description,
            deckVersion: quote.rate.deckVersion,
            effectiveFrom: quote.rate.effectiveFrom.iso8601,
            price: terms.price.formatted(),
            priceCurrency: terms.currency.rawValue,
            increment: terms.increment?.description,
            connectFee: quote.product.isVoice ? terms.connectFee.formatted() : nil,
            cost: charge.total.formatted(),
            rounding: charge.rounding.description,
            exchangeRates: used.map {
                ChargeExplanation.RateUsed(
                    date: $0.date.date,
                    base: $0.base.rawValue,
                    quote: $0.quote.rawValue,
                    rate: $0.rate.description,
                    source: $0.source
                )
            },
            conversionRounding: used.isEmpty ? nil : Rounding.conversion.description,
            amount: converted.amount.formatted(),
            currency: currency.rawValue
        )
    }
}

/// Why usage could not be charged.
public enum RatingFailure: Error, Equatable, Sendable, CustomStringConvertible {
    case overflow
    case conversion(ConversionError)

    public var description: String {
        switch self {
        case .overflow: "the quantity is out of range"
        case .conversion(let error): "\(error)"
        }
    }
}
