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

    /// The price of `cost` under the plan, with each step that made it.
    public func price(
        _ cost: Amount,
        product: Product?,
        country: String?,
        origin: OriginScope?,
        numberType: String?
    ) throws(AmountError) -> PlannedPrice {
        let rule = rule(product: product, country: country, origin: origin, numberType: numberType)
        var steps = ["cost \(cost.plainText)"]
        var price = cost
        if let rule {
            // A percentage of a price is rounded up at the 8th decimal: never below the markup asked.
            if rule.markupPercent != .zero {
                price = try price + cost.scaled(by: rule.markupPercent.units, over: Self.hundredPercent, rounding: .charge)
                steps.append("\(rule.markupPercent.isNegative ? "" : "+")\(rule.markupPercent.plainText) % = \(price.plainText)")
            }
            if rule.markupFixed != .zero {
                price = try price + rule.markupFixed
                steps.append("\(rule.markupFixed.isNegative ? "" : "+")\(rule.markupFixed.plainText) = \(price.plainText)")
            }
        }
        if minimumMargin != .zero, let floor = try? cost + minimumMargin, price < floor {
            price = floor
            steps.append("minimum margin \(minimumMargin.plainText): \(price.plainText)")
        }
        if price < minimumPrice {
            price = minimumPrice
            steps.append("minimum price: \(price.plainText)")
        }
        if let rounding {
            let rounded = price.rounded(rounding)
            if rounded != price { steps.append("rounded \(rounding): \(rounded.plainText)") }
            price = rounded
        }
        if price.isNegative {
            price = .zero
            steps.append("not below zero: 0")
        }
        return PlannedPrice(cost: cost, price: price, rule: rule, steps: steps)
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
    public let steps: [String]

    /// What the price is over its cost.
    public var margin: Amount { Amount(units: price.units &- cost.units) }
}
