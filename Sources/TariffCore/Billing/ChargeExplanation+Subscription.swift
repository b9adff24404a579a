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
            product: unit == "months" ? "number-monthly" : "number-installation",
            to: number.e164,
            from: nil,
            occurredAt: instant.iso8601,
            quantity: 1,
            unit: unit,
            billedSeconds: nil,
            list: "numbers",
            row: price.key.label,
            matchedBy: price.key.regionCode == nil ? "country and category" : "region \(price.key.regionCode ?? "")",
            deckVersion: price.deckVersion,
            effectiveFrom: price.effectiveFrom.iso8601,
            price: fee.formatted(),
            priceCurrency: terms.currency.rawValue,
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
