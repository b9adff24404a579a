/// A priced number with its explanation.
public struct PriceQuote: Sendable {
    public let number: PhoneNumber
    public let product: Product
    public let instant: Instant
    /// What the reference data says of the number: country, range, type, network.
    public let destination: NumberInfo
    public let originCountry: Country?
    /// The list that priced the number (domestic, eea, international or any).
    public let list: OriginScope
    public let listReason: String
    /// Lists tried before, that had no price for the number.
    public let skipped: [String]
    public let match: RateMatch
    /// The version in force (its terms are never nil).
    public let rate: Rate
    /// The next scheduled version of the same row, if any.
    public let next: Rate?

    public var terms: RateTerms { rate.terms! }
    public var price: Money { Money(terms.price, terms.currency) }

    /// The explanation as lines, for people.
    public var explanation: [String] {
        var lines: [String] = []
        let info = destination
        var number = "\(self.number.e164): \(info.country.map { "\($0.name) (\($0.iso2))" } ?? "unknown country")"
        if let type = info.numberType { number += ", \(type.rawValue)" }
        if let network = info.network { number += ", network \(network.mccmnc) \(network.name)" }
        if let range = info.range { number += ", range \(range.prefix)" }
        lines.append(number)
        lines.append(contentsOf: skipped)
        lines.append("list: \(listReason)")
        lines.append("row: \(match) — \(rate.key.label)" + (terms.description.isEmpty ? "" : " \"\(terms.description)\""))
        lines.append("effective from \(rate.effectiveFrom.iso8601) (deck version \(rate.deckVersion))")
        if let next {
            lines.append(
                next.terms.map { "scheduled: \($0.price.plainText) \($0.currency) from \(next.effectiveFrom.iso8601)" }
                    ?? "scheduled: closed from \(next.effectiveFrom.iso8601)"
            )
        }
        return lines
    }
}

/// The cost of usage under a rate, computed exactly and rounded once at a named point.
public struct UsageCharge: Sendable, Hashable {
    public let billedSeconds: Int
    public let usage: Amount
    public let connectFee: Amount
    public let total: Amount
    public let currency: CurrencyCode
    public let rounding: Rounding

    /// The seconds or messages one charge may count: a negative message count would be a
    /// credit, and a billion seconds (31 years) is beyond any call while far from overflowing.
    public static let usageRange = 0...1_000_000_000

    /// A call of `seconds`: `connect fee + price per minute × billed seconds / 60`.
    /// An unanswered call (0 s) costs nothing, connect fee included.
    public static func call(_ terms: RateTerms, seconds: Int, rounding: Rounding = .charge) throws(AmountError) -> UsageCharge {
        // At or below zero the call was not answered (and costs nothing); only the top is bounded.
        guard seconds <= usageRange.upperBound else { throw .overflow }
        let increment = terms.increment ?? .perMinute
        let billed = increment.billedSeconds(for: seconds)
        let usage = try terms.price.scaled(by: Int64(billed), over: 60, rounding: rounding)
        let fee = billed > 0 ? terms.connectFee : .zero
        return UsageCharge(billedSeconds: billed, usage: usage, connectFee: fee, total: try usage + fee, currency: terms.currency, rounding: rounding)
    }

    /// `count` messages at the per-message price (exact: no rounding needed).
    public static func messages(_ terms: RateTerms, count: Int) throws(AmountError) -> UsageCharge {
        guard usageRange.contains(count) else { throw .overflow }
        let (units, overflow) = terms.price.units.multipliedReportingOverflow(by: Int64(count))
        guard !overflow else { throw .overflow }
        let total = Amount(units: units)
        return UsageCharge(billedSeconds: 0, usage: total, connectFee: .zero, total: total, currency: terms.currency, rounding: .charge)
    }
}
