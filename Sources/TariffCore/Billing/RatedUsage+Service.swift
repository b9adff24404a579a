extension RatedUsage {
    /// Rates `units` of a metered product under `quote` and converts the cost into `currency`
    /// with `exchange` (the table in force when the usage occurred). `included` of them came
    /// with a package: the rest are rated as a use of their own (its minimum and blocks apply).
    public init(
        service quote: ServiceQuote,
        units: Int,
        included: Int = 0,
        currency: CurrencyCode,
        exchange: ExchangeRateTable
    ) throws(RatingFailure) {
        let terms = quote.terms
        let charge: ServiceCharge
        guard (0...units).contains(included) else { throw .overflow }
        do { charge = try ServiceCharge(terms, units: units - included) } catch { throw .overflow }
        let converted: Money
        do { converted = try exchange.convert(Money(charge.total, charge.currency), to: currency) } catch { throw .conversion(error) }
        let used = exchange.ratesUsed(from: charge.currency, to: currency) ?? []
        amount = converted.amount
        var result = ChargeExplanation(
            product: quote.product,
            to: nil,
            from: nil,
            occurredAt: quote.instant.iso8601,
            quantity: units,
            unit: terms.unit,
            billedSeconds: nil,
            list: "metered",
            row: quote.price.key.label,
            matchedBy: quote.matchedBy,
            deckVersion: quote.price.deckVersion,
            effectiveFrom: quote.price.effectiveFrom.iso8601,
            price: terms.price.formatted(),
            priceCurrency: terms.currency.rawValue,
            increment: terms.increment.description,
            connectFee: terms.setupFee == .zero ? nil : terms.setupFee.formatted(),
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
        result.variant = quote.variant
        result.country = quote.country
        result.billedUnits = charge.billedUnits
        result.perUnits = terms.perUnits
        result.minimum = terms.minimum == 0 ? nil : terms.minimum
        result.includedUnits = included == 0 ? nil : included
        explanation = result
    }
}
