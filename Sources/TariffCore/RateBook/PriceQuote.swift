/// A priced number with its explanation.
///
/// A class: a quote is handed from the book through a plan to its answer, and as a struct of
/// some twenty strings each hand-over copied hundreds of bytes and retained every string.
public final class PriceQuote: Sendable {
    public let number: PhoneNumber
    public let product: Product
    public let instant: Instant
    /// What the reference data says of the number: country, range, type, network.
    public let destination: NumberInfo
    public let originCountry: Country?
    /// The list that priced the number (domestic, eea, international or any).
    public let list: OriginScope
    /// Lists tried before, that had no price for the number.
    let skippedScopes: Scopes
    public let match: RateMatch
    /// The version in force (its terms are never nil).
    public let rate: Rate
    /// The next scheduled version of the same row, if any.
    public let next: Rate?
    /// What a price plan did, when one made `rate`'s price from the deck's.
    let planned: Planned?

    init(
        number: PhoneNumber,
        product: Product,
        instant: Instant,
        destination: NumberInfo,
        originCountry: Country?,
        list: OriginScope,
        skippedScopes: Scopes,
        match: RateMatch,
        rate: Rate,
        next: Rate?,
        planned: Planned? = nil
    ) {
        self.number = number
        self.product = product
        self.instant = instant
        self.destination = destination
        self.originCountry = originCountry
        self.list = list
        self.skippedScopes = skippedScopes
        self.match = match
        self.rate = rate
        self.next = next
        self.planned = planned
    }

    /// The account's price plan, when one made `rate`'s price from the deck's.
    public var plan: PlanApplication? { planned?.application }
    /// The deck's own version, when a plan priced `rate`: what the usage costs the operator.
    public var deckRate: Rate? { planned?.deckRate }

    final class Planned: Sendable {
        let application: PlanApplication?
        let deckRate: Rate

        init(application: PlanApplication?, deckRate: Rate) {
            self.application = application
            self.deckRate = deckRate
        }
    }

    /// This quote with the plan's prices in place of the deck's.
    func planned(rate: Rate, next: Rate?, plan: PlanApplication?) -> PriceQuote {
        PriceQuote(
            number: number,
            product: product,
            instant: instant,
            destination: destination,
            originCountry: originCountry,
            list: list,
            skippedScopes: skippedScopes,
            match: match,
            rate: rate,
            next: next,
            planned: plan == nil ? nil : Planned(application: plan, deckRate: self.rate)
        )
    }

    /// Why the list applied, in words.
    public var listReason: String {
        guard let destination = destination.country else { return "" }
        if product.isInbound {
            return self.destination.category.map { "calls to \(destination.iso2) \($0.rawValue) numbers" } ?? "calls to \(destination.iso2) numbers"
        }
        return RateBook.listOrder(destination: destination, origin: originCountry).first { $0.0 == list }?.1 ?? ""
    }

    /// The lists tried before, that had no price for the number, in words.
    public var skipped: [String] {
        guard let destination = destination.country else { return [] }
        return RateBook.scopeOrder(destination: destination, origin: originCountry).filter(skippedScopes.contains).map {
            "no \($0.rawValue) price for this number"
        }
    }

    /// A set of lists, as bits: building it allocates nothing.
    struct Scopes {
        private var bits: UInt8 = 0

        mutating func insert(_ scope: OriginScope) { bits |= Self.bit(scope) }
        func contains(_ scope: OriginScope) -> Bool { bits & Self.bit(scope) != 0 }

        private static func bit(_ scope: OriginScope) -> UInt8 {
            switch scope {
            case .any: 1
            case .domestic: 2
            case .eea: 4
            case .international: 8
            }
        }
    }

    /// Up to four lists in the order they are tried, held inline.
    struct ScopeOrder: Sequence, IteratorProtocol {
        private var scopes: (OriginScope?, OriginScope?, OriginScope?, OriginScope?)
        private var position = 0

        init(_ a: OriginScope, _ b: OriginScope, _ c: OriginScope? = nil, _ d: OriginScope? = nil) { scopes = (a, b, c, d) }

        mutating func next() -> OriginScope? {
            defer { position += 1 }
            switch position {
            case 0: return scopes.0
            case 1: return scopes.1
            case 2: return scopes.2
            case 3: return scopes.3
            default: return nil
            }
        }
    }

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
        if let plan { lines.append(plan.explanation) }
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
