import Foundation
public import TariffCore

/// A priced number with its explanation: what `tariff price` prints (as a table or JSON) and
/// what the native API answers.
public struct PriceReport: Encodable, Sendable {
    public struct Network: Encodable, Sendable {
        let mccmnc: String
        let name: String
    }
    public struct Cost: Encodable, Sendable {
        let seconds: Int?
        let messages: Int?
        let billedSeconds: Int?
        let usage: String
        let connectFee: String
        let total: String
        let currency: String
        let rounding: String
    }
    public struct Converted: Encodable, Sendable {
        let price: String
        let total: String?
        let currency: String
        let rate: String
        /// The next scheduled price (`next_change`) in this currency, at today's rate.
        let nextPrice: String?
    }
    public struct Next: Encodable, Sendable {
        let effectiveFrom: String
        let price: String?
        let currency: String?
        let closes: Bool

        /// `0.07 EUR from 2027-01-01T00:00:00Z`, and its price in the converted currency.
        func text(converted: Converted?) -> String {
            if closes { return "closes from \(effectiveFrom)" }
            var line = "\(price ?? "") \(currency ?? "") from \(effectiveFrom)"
            if let converted, let next = converted.nextPrice, converted.currency != currency { line += " = \(next) \(converted.currency)" }
            return line
        }
    }

    let number: String
    let country: String
    let countryName: String
    let numberType: String?
    let network: Network?
    let matchedRange: String?
    let product: String
    let at: String
    let list: String
    let listReason: String
    let matchedBy: String
    let row: String
    let description: String
    let resource: String
    let price: String
    let currency: String
    let increment: String?
    let connectFee: String?
    let effectiveFrom: String
    let deckVersion: Int64
    let nextChange: Next?
    let cost: Cost?
    let converted: Converted?
    /// The account's price plan, when one priced this.
    let plan: PlanReport?
    let explanation: [String]

    public init(quote: PriceQuote, seconds: Int?, messages: Int?, target: CurrencyCode?, fx: ExchangeRateTable) throws {
        let terms = quote.terms
        number = quote.number.e164
        country = quote.destination.country?.iso2 ?? ""
        countryName = quote.destination.country?.name ?? ""
        numberType = quote.product.isInbound ? quote.destination.category?.rawValue : quote.destination.numberType?.rawValue
        network = quote.destination.network.map { Network(mccmnc: $0.mccmnc, name: $0.name) }
        matchedRange = quote.destination.range?.prefix
        product = quote.product.rawValue
        at = quote.instant.iso8601
        list = quote.list.rawValue
        listReason = quote.listReason
        matchedBy = quote.match.description
        row = quote.rate.key.label
        description = terms.description
        resource = terms.resource
        price = terms.price.formatted()
        currency = terms.currency.rawValue
        increment = terms.increment?.description
        connectFee = quote.product.isVoice ? terms.connectFee.formatted() : nil
        effectiveFrom = quote.rate.effectiveFrom.iso8601
        deckVersion = quote.rate.deckVersion
        nextChange = quote.next.map {
            Next(
                effectiveFrom: $0.effectiveFrom.iso8601,
                price: $0.terms?.price.formatted(),
                currency: $0.terms?.currency.rawValue,
                closes: $0.terms == nil
            )
        }
        explanation = quote.explanation
        plan = quote.plan.map(PlanReport.init)

        var charge: UsageCharge?
        if let seconds {
            charge = try UsageCharge.call(terms, seconds: seconds)
        } else if let messages {
            charge = try UsageCharge.messages(terms, count: messages)
        }
        cost = charge.map {
            Cost(
                seconds: seconds,
                messages: seconds == nil ? messages : nil,
                billedSeconds: seconds == nil ? nil : $0.billedSeconds,
                usage: $0.usage.formatted(),
                connectFee: $0.connectFee.formatted(),
                total: $0.total.formatted(),
                currency: $0.currency.rawValue,
                rounding: $0.rounding.description
            )
        }
        if let target {
            let convertedPrice = try fx.convert(quote.price, to: target)
            let convertedTotal = try charge.map { try fx.convert(Money($0.total, $0.currency), to: target) }
            converted = Converted(
                price: convertedPrice.amount.formatted(),
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
        var numberLine = "\(countryName) (\(country))"
        if let numberType { numberLine += ", \(numberType)" }
        if let network { numberLine += ", network \(network.mccmnc) \(network.name)" }
        if let matchedRange { numberLine += ", range \(matchedRange)" }
        rows.append([number, numberLine])
        rows.append(["product", product + " at " + at])
        let unit = product.hasPrefix("voice") ? " per minute" : " per message"
        var priceLine = "\(price) \(currency)\(unit)"
        if let increment { priceLine += ", increment \(increment)" }
        if let connectFee, connectFee != Amount.zero.formatted() { priceLine += ", connect fee \(connectFee)" }
        rows.append(["price", priceLine])
        if let converted { rows.append(["", "\(converted.price) \(converted.currency) at 1 \(currency) = \(converted.rate) \(converted.currency)"]) }
        rows.append(["list", listReason])
        rows.append(["row", "\(matchedBy): \(row)" + (description.isEmpty ? "" : " \"\(description)\"")])
        rows.append(["resource", resource])
        rows.append(["effective", "from \(effectiveFrom), deck version \(deckVersion)"])
        if let plan { rows.append(["plan", plan.text]) }
        if let nextChange {
            rows.append(["scheduled", nextChange.text(converted: converted)])
        }
        if let cost {
            let what = cost.seconds.map { "\($0) s call (billed \(cost.billedSeconds ?? 0) s)" } ?? "\(cost.messages ?? 0) messages"
            var line = "\(what): \(cost.total) \(cost.currency)"
            if cost.connectFee != Amount.zero.formatted() { line += " (usage \(cost.usage) + connect fee \(cost.connectFee))" }
            if let total = converted?.total { line += " = \(total) \(converted?.currency ?? "")" }
            rows.append(["cost", line + ", rounded \(cost.rounding)"])
        }
        let width = rows.map { $0[0].count }.max() ?? 0
        return rows.map { $0[0].padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0[1] }.joined(separator: "\n")
    }
}
