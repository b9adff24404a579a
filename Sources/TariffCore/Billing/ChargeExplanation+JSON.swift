extension ChargeExplanation {
    /// The explanation as stored with its ledger entry: the JSON a `JSONEncoder` with snake-case
    /// keys writes (`JSONDecoder` with `.convertFromSnakeCase` reads it back), written by hand
    /// because a charge is recorded thousands of times a second and the generic encoder was
    /// most of the cost of recording one.
    public var jsonText: String {
        let q = JSONText.quoted
        let rates = exchangeRates.map { rate in
            JSONText.object([
                "base": q(rate.base), "date": q(rate.date), "quote": q(rate.quote), "rate": q(rate.rate), "source": q(rate.source),
            ])
        }
        return JSONText.object([
            "amount": q(amount),
            "billed_seconds": billedSeconds.map(String.init),
            "connect_fee": connectFee.map(q),
            "conversion_rounding": conversionRounding.map(q),
            "cost": q(cost),
            "currency": q(currency),
            "deck_version": String(deckVersion),
            "effective_from": q(effectiveFrom),
            "exchange_rates": "[" + rates.joined(separator: ",") + "]",
            "from": from.map(q),
            "increment": increment.map(q),
            "list": q(list),
            "matched_by": q(matchedBy),
            "occurred_at": q(occurredAt),
            "price": q(price),
            "price_currency": q(priceCurrency),
            "product": q(product),
            "quantity": String(quantity),
            "rounding": q(rounding),
            "row": q(row),
            "to": q(to),
            "unit": q(unit),
        ])
    }
}

extension TransactionRecord {
    /// The record as the native API's JSON encoder writes it (snake-case keys, sorted), by hand
    /// for the same reason as `ChargeExplanation.jsonText`: it answers every charge.
    public var jsonText: String {
        let q = JSONText.quoted
        return JSONText.object([
            "account_id": String(accountId),
            "amount": q(amount),
            "balance_after": q(balanceAfter),
            "currency": q(currency),
            "description": q(description),
            "explanation": explanation?.jsonText,
            "id": String(id),
            "performed_at": q(performedAt),
            "recorded_at": q(recordedAt),
            "reference": reference.map(q),
            "type": q(type),
        ])
    }
}
