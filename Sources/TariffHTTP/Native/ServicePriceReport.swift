import Foundation
public import TariffCore

/// A metered product priced with its explanation: what `tariff price --units` prints and what
/// the native API answers for a product that is not a call or a message.
public struct ServicePriceReport: Encodable, Sendable {
    public struct Cost: Encodable, Sendable {
        let units: Int
        let billedUnits: Int
        let usage: String
        let setupFee: String
        let total: String
        let currency: String
        let rounding: String
    }

    let product: String
    let variant: String?
    let country: String?
    let at: String
    let matchedBy: String
    let row: String
    let description: String
    let resource: String
    let unit: String
    let price: String
    let perUnits: Int
    let currency: String
    let minimum: Int
    let increment: String
    let setupFee: String
    let effectiveFrom: String
    let deckVersion: Int64
    let nextChange: PriceReport.Next?
    let cost: Cost?
    let converted: PriceReport.Converted?
    /// The account's price plan, when one priced this.
    let plan: PlanReport?

    public init(quote: ServiceQuote, units: Int?, target: CurrencyCode?, fx: ExchangeRateTable) throws {
        let terms = quote.terms
        plan = quote.plan.map(PlanReport.init)
        product = quote.product
        variant = quote.variant
        country = quote.country
        at = quote.instant.iso8601
        matchedBy = quote.matchedBy
        row = quote.price.key.label
        description = terms.description
        resource = terms.resource
        unit = terms.unit
        price = terms.price.formatted()
        perUnits = terms.perUnits
        currency = terms.currency.rawValue
        minimum = terms.minimum
        increment = terms.increment.description
        setupFee = terms.setupFee.formatted()
        effectiveFrom = quote.price.effectiveFrom.iso8601
        deckVersion = quote.price.deckVersion
        nextChange = quote.next.map {
            PriceReport.Next(
                effectiveFrom: $0.effectiveFrom.iso8601,
                price: $0.terms?.price.formatted(),
                currency: $0.terms?.currency.rawValue,
                closes: $0.terms == nil
            )
        }
        let charge = try units.map { try ServiceCharge(terms, units: $0) }
        cost = charge.map {
            Cost(
                units: $0.units,
                billedUnits: $0.billedUnits,
                usage: $0.usage.formatted(),
                setupFee: $0.setupFee.formatted(),
                total: $0.total.formatted(),
                currency: $0.currency.rawValue,
                rounding: $0.rounding.description
            )
        }
        if let target {
            let convertedTotal = try charge.map { try fx.convert(Money($0.total, $0.currency), to: target) }
            converted = PriceReport.Converted(
                price: try fx.convert(Money(terms.price, terms.currency), to: target).amount.formatted(),
                total: convertedTotal?.amount.formatted(),
                currency: target.rawValue,
                rate: fx.rate(from: terms.currency, to: target)?.plainText ?? "",
                nextPrice: try quote.next?.terms.map { try fx.convert(Money($0.price, $0.currency), to: target).amount.formatted() }
            )
        } else {
            converted = nil
        }
    }

    /// The report as aligned lines, for a terminal.
    public var text: String {
        var rows: [[String]] = []
        rows.append(["product", product + [variant, country].compactMap { $0 }.map { " " + $0 }.joined() + " at " + at])
        var priceLine = "\(price) \(currency) per \(ServicePriceTerms.counted(perUnits, unit)), increment \(increment)"
        if minimum > 0 { priceLine += ", minimum \(minimum)" }
        if setupFee != Amount.zero.formatted() { priceLine += ", setup fee \(setupFee)" }
        rows.append(["price", priceLine])
        if let converted { rows.append(["", "\(converted.price) \(converted.currency) at 1 \(currency) = \(converted.rate) \(converted.currency)"]) }
        rows.append(["row", "\(matchedBy): \(row)" + (description.isEmpty ? "" : " \"\(description)\"")])
        rows.append(["resource", resource])
        rows.append(["effective", "from \(effectiveFrom), deck version \(deckVersion)"])
        if let plan { rows.append(["plan", plan.text]) }
        if let nextChange {
            rows.append(["scheduled", nextChange.text(converted: converted)])
        }
        if let cost {
            var line = "\(ServicePriceTerms.counted(cost.units, unit)) (billed \(cost.billedUnits)): \(cost.total) \(cost.currency)"
            if cost.setupFee != Amount.zero.formatted() { line += " (usage \(cost.usage) + setup fee \(cost.setupFee))" }
            if let total = converted?.total { line += " = \(total) \(converted?.currency ?? "")" }
            rows.append(["cost", line + ", rounded \(cost.rounding)"])
        }
        let width = rows.map { $0[0].count }.max() ?? 0
        return rows.map { $0[0].padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0[1] }.joined(separator: "\n")
    }
}
