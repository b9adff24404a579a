extension ChargeExplanation {
    /// How a number's fee was computed: the subscription price row (country, category,
    /// region) and its deck version, the fee in the row's currency, the exchange rates used and
    /// the amount in the account's currency. `unit` is `installation` or `months`.
    public init(
        fee: Amount,
        unit: String,
        number: PhoneNumber,
        price: NumberPrice,
        terms: NumberPriceTerms,
        converted: Amount,
        currency: CurrencyCode,
        ratesUsed: [ExchangeRate],
        at instant: Instant
    ) {
        self.init(
            fee: fee,
            unit: unit,
            product: unit == "months" ? "number-monthly" : "number-installation",
            to: number.e164,
            list: "numbers",
            row: price.key.label,
            matchedBy: price.key.regionCode == nil ? "country and category" : "region \(price.key.regionCode ?? "")",
            deckVersion: price.deckVersion,
            effectiveFrom: price.effectiveFrom,
            priceCurrency: terms.currency,
            converted: converted,
            currency: currency,
            ratesUsed: ratesUsed,
            at: instant
        )
    }

    /// How a SIP registration's or a plan's fee was computed, as for a number's: the template's
    /// row and deck version, the fee in its currency, the conversion. `unit` is `installation`
    /// or `months`.
    public init(
        fee: Amount,
        unit: String,
        template price: TemplatePrice,
        terms: TemplateTerms,
        converted: Amount,
        currency: CurrencyCode,
        ratesUsed: [ExchangeRate],
        at instant: Instant
    ) {
        self.init(
            fee: fee,
            unit: unit,
            product: unit == "months" ? "subscription-monthly" : "subscription-installation",
            to: nil,
            list: "templates",
            row: "\(terms.type) \(price.key.name)",
            matchedBy: "template",
            deckVersion: price.deckVersion,
            effectiveFrom: price.effectiveFrom,
            priceCurrency: terms.currency,
            converted: converted,
            currency: currency,
            ratesUsed: ratesUsed,
            at: instant
        )
    }

    /// A fee's explanation: charged as priced (no rounding), converted at `ratesUsed`.
    private init(
        fee: Amount,
        unit: String,
        product: String,
        to: String?,
        list: String,
        row: String,
        matchedBy: String,
        deckVersion: Int64,
        effectiveFrom: Instant,
        priceCurrency: CurrencyCode,
        converted: Amount,
        currency: CurrencyCode,
        ratesUsed: [ExchangeRate],
        at instant: Instant
    ) {
        self.init(
            product: product,
            to: to,
            from: nil,
            occurredAt: instant.iso8601,
            quantity: 1,
            unit: unit,
            billedSeconds: nil,
            list: list,
            row: row,
            matchedBy: matchedBy,
            deckVersion: deckVersion,
            effectiveFrom: effectiveFrom.iso8601,
            price: fee.formatted(),
            priceCurrency: priceCurrency.rawValue,
            increment: nil,
            connectFee: nil,
            cost: fee.formatted(),
            rounding: "none (a fee is charged as priced)",
            exchangeRates: ratesUsed.map {
                RateUsed(date: $0.date.date, base: $0.base.rawValue, quote: $0.quote.rawValue, rate: $0.rate.description, source: $0.source)
            },
            conversionRounding: ratesUsed.isEmpty ? nil : Rounding.conversion.description,
            amount: converted.formatted(),
            currency: currency.rawValue
        )
    }

    /// The same explanation for another period: a renewal explains itself as the rental did.
    public func renewed(at instant: Instant) -> ChargeExplanation {
        var renewal = self
        renewal.occurredAt = instant.iso8601
        return renewal
    }
}
