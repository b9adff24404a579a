/// How an account's prices come from the cost in a deck: the most specific matching rule's
/// markup, then a floor (a minimum price and a minimum margin over the cost), then the plan's
/// rounding. Amounts are in the cost's currency; every step is exact to 10⁻⁸.
public struct PricePlan: Sendable, Hashable {
    public var name: String
    public var rules: [PlanRule]
    /// No price below this (zero: no floor).
    public var minimumPrice: Amount
    /// No price less than this above its cost (zero: none).
    public var minimumMargin: Amount
    /// How the result is rounded (retail lists round up to 4 decimals); nil keeps all 8.
    public var rounding: Rounding?
    /// A deck of the account's own prices: where it has a row of the same key as the base
    /// deck's row, its price is charged as it is (no markup, floor or rounding); elsewhere the
    /// rules apply to the base deck.
    public var overrideDeck: String?

    public init(
        name: String,
        rules: [PlanRule],
        minimumPrice: Amount = .zero,
        minimumMargin: Amount = .zero,
        rounding: Rounding? = nil,
        overrideDeck: String? = nil
    ) {
        self.name = name
        self.rules = rules
        self.minimumPrice = minimumPrice
        self.minimumMargin = minimumMargin
        self.rounding = rounding
        self.overrideDeck = overrideDeck
    }

    /// The rule for a price: the most specific that matches; of equals, the one listed first.
    public func rule(product: Product?, country: String?, origin: OriginScope?, numberType: String?) -> PlanRule? {
        var best: PlanRule?
        for rule in rules where rule.matches(product: product, country: country, origin: origin, numberType: numberType) {
            if best == nil || rule.specificity > best!.specificity { best = rule }
        }
        return best
    }

    /// The price of `cost` under the plan, with what each step made of it. The steps are kept
    /// as amounts and written out only when an explanation asks (a bulk request prices
    /// millions of numbers and reads none).
    public func price(
        _ cost: Amount,
        product: Product?,
        country: String?,
        origin: OriginScope?,
        numberType: String?
    ) throws(AmountError) -> PlannedPrice {
        let rule = rule(product: product, country: country, origin: origin, numberType: numberType)
        var trace = PlannedPrice.Trace()
        var price = cost
        if let rule {
            // A percentage of a price is rounded up at the 8th decimal: never below the markup asked.
            if rule.markupPercent != .zero {
                price = try price + cost.scaled(by: rule.markupPercent.units, over: Self.hundredPercent, rounding: .charge)
                trace.afterPercent = price
            }
            if rule.markupFixed != .zero {
                price = try price + rule.markupFixed
                trace.afterFixed = price
            }
        }
        if minimumMargin != .zero, let floor = try? cost + minimumMargin, price < floor {
            price = floor
            trace.marginFloor = .init((minimumMargin, price))
        }
        if price < minimumPrice {
            price = minimumPrice
            trace.priceFloor = price
        }
        if let rounding {
            let rounded = price.rounded(rounding)
            if rounded != price { trace.rounded = .init((rounding, rounded)) }
            price = rounded
        }
        if price.isNegative {
            price = .zero
            trace.clamped = true
        }
        return PlannedPrice(cost: cost, price: price, rule: rule, trace: trace)
    }

    /// 100 % in the units of ``PlanRule/markupPercent`` (an ``Amount``'s 10⁻⁸).
    static let hundredPercent: Int64 = 100 * 100_000_000
}

/// A cost priced under a plan: the price, the rule that applied (nil: none matched, the price
/// is the cost and the plan's floors), and the steps, for explanations.
public struct PlannedPrice: Sendable, Hashable {
    public let cost: Amount
    public let price: Amount
    public let rule: PlanRule?
    let trace: Trace?
    let written: [String]?

    /// What each step made of the price, as amounts (nil: the step did nothing).
    struct Trace: Sendable, Hashable {
        var afterPercent: Amount?
        var afterFixed: Amount?
        /// The minimum margin and the price it raised to.
        var marginFloor: Floor?
        /// The minimum price, when it raised the price.
        var priceFloor: Amount?
        var rounded: Rounded?
        var clamped = false

        struct Floor: Sendable, Hashable {
            let margin: Amount
            let price: Amount
            init(_ pair: (Amount, Amount)) { (margin, price) = pair }
        }

        struct Rounded: Sendable, Hashable {
            let rounding: Rounding
            let price: Amount
            init(_ pair: (Rounding, Amount)) { (rounding, price) = pair }
        }
    }

    init(cost: Amount, price: Amount, rule: PlanRule?, trace: Trace) {
        self.cost = cost
        self.price = price
        self.rule = rule
        self.trace = trace
        written = nil
    }

    /// A price whose steps are told in words (an override deck's own price).
    init(cost: Amount, price: Amount, rule: PlanRule?, steps: [String]) {
        self.cost = cost
        self.price = price
        self.rule = rule
        trace = nil
        written = steps
    }

    /// What the price is over its cost.
    public var margin: Amount { Amount(units: price.units &- cost.units) }

    /// The steps in words: `cost 0.0123`, `+15 % = 0.014145`, `+0.001 = 0.015145`, ...
    public var steps: [String] {
        if let written { return written }
        guard let trace else { return [] }
        var steps = ["cost \(cost.plainText)"]
        if let rule, let after = trace.afterPercent {
            steps.append("\(rule.markupPercent.isNegative ? "" : "+")\(rule.markupPercent.plainText) % = \(after.plainText)")
        }
        if let rule, let after = trace.afterFixed {
            steps.append("\(rule.markupFixed.isNegative ? "" : "+")\(rule.markupFixed.plainText) = \(after.plainText)")
        }
        if let floor = trace.marginFloor { steps.append("minimum margin \(floor.margin.plainText): \(floor.price.plainText)") }
        if let floor = trace.priceFloor { steps.append("minimum price: \(floor.plainText)") }
        if let rounded = trace.rounded { steps.append("rounded \(rounded.rounding): \(rounded.price.plainText)") }
        if trace.clamped { steps.append("not below zero: 0") }
        return steps
    }
}
