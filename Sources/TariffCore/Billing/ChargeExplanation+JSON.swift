extension ChargeExplanation {
    /// The explanation as stored with its ledger entry: the JSON a `JSONEncoder` with snake-case
    /// keys writes (`JSONDecoder` with `.convertFromSnakeCase` reads it back), written by hand
    /// because a charge is recorded thousands of times a second and the generic encoder was
    /// most of the cost of recording one.
    public var jsonText: String { text(.whole, capacity: 768) }

    /// What many charges share (the row and its deck version, the price, the exchange rates,
    /// the roundings, the currency): the ledger stores it once and refers to it, so that a
    /// million charges do not store a million copies.
    public var basisJSONText: String { text(.basis, capacity: 512) }

    /// What is this charge's own: the usage (number, origin, time, quantity), its cost and amount.
    public var chargeJSONText: String { text(.charge, capacity: 192) }

    /// An explanation's text from its two stored parts (`basisJSONText`, `chargeJSONText`):
    /// one object with the members of both.
    public static func joined(basis: String, charge: String) -> String {
        guard basis.utf8.count > 2, charge.utf8.count > 2 else { return basis.utf8.count > 2 ? basis : charge }
        return String(basis.dropLast()) + "," + String(charge.dropFirst())
    }

    enum Part { case whole, basis, charge }

    private func text(_ part: Part, capacity: Int) -> String {
        var json = JSONObjectWriter(capacity: capacity)
        write(part, to: &json)
        return json.finish()
    }

    /// The members of `part`, by name in order (as `JSONEncoder` sorts them).
    func write(_ part: Part, to json: inout JSONObjectWriter) {
        let basis = part != .charge
        let charge = part != .basis
        if charge {
            json.string("amount", amount)
            json.integer("billed_seconds", billedSeconds)
            json.integer("billed_units", billedUnits)
        }
        if basis {
            json.string("connect_fee", connectFee)
            json.string("conversion_rounding", conversionRounding)
        }
        if charge {
            json.string("cost", cost)
            json.string("country", country)
        }
        if basis {
            json.string("currency", currency)
            json.integer("deck_version", deckVersion)
            json.string("effective_from", effectiveFrom)
            json.array("exchange_rates", exchangeRates) { json, rate in
                json.string("base", rate.base)
                json.string("date", rate.date)
                json.string("quote", rate.quote)
                json.string("rate", rate.rate)
                json.string("source", rate.source)
            }
        }
        if charge {
            json.string("from", from)
            json.integer("included_units", includedUnits)
        }
        if basis {
            json.string("increment", increment)
            json.string("list", list)
            json.string("matched_by", matchedBy)
            json.integer("minimum", minimum)
        }
        if charge { json.string("occurred_at", occurredAt) }
        if basis {
            json.integer("per_units", perUnits)
            json.string("price", price)
            json.string("price_currency", priceCurrency)
            json.string("product", product)
        }
        if charge { json.integer("quantity", quantity) }
        if basis {
            json.string("rounding", rounding)
            json.string("row", row)
        }
        if charge { json.string("to", to) }
        if basis { json.string("unit", unit) }
        if charge { json.string("variant", variant) }
    }
}

extension TransactionRecord {
    /// The record as the native API's JSON encoder writes it (snake-case keys, sorted), by hand
    /// for the same reason as `ChargeExplanation.jsonText`: it answers every charge.
    public var jsonText: String {
        var json = JSONObjectWriter(capacity: 1024)
        json.integer("account_id", accountId)
        json.string("amount", amount)
        json.string("balance_after", balanceAfter)
        json.string("currency", currency)
        json.string("description", description)
        if let explanation { json.object("explanation") { explanation.write(.whole, to: &$0) } }
        json.integer("id", id)
        json.string("performed_at", performedAt)
        json.string("recorded_at", recordedAt)
        json.string("reference", reference)
        json.string("type", type)
        return json.finish()
    }
}
