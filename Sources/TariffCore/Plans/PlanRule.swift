/// One markup rule of a price plan: where it applies (a selector left nil matches anything)
/// and what it adds to the cost: a percentage, then a fixed amount in the cost's currency.
public struct PlanRule: Sendable, Hashable {
    public var product: Product?
    public var country: String?
    public var origin: OriginScope?
    public var numberType: String?
    /// Percent of the cost added (`15` is 15 %; negative for a discount, above -100).
    public var markupPercent: Amount
    /// Added after the percentage.
    public var markupFixed: Amount
    /// The line of the plan file it was read from (0 when made in code).
    public var line: Int

    public init(
        product: Product? = nil,
        country: String? = nil,
        origin: OriginScope? = nil,
        numberType: String? = nil,
        markupPercent: Amount = .zero,
        markupFixed: Amount = .zero,
        line: Int = 0
    ) {
        self.product = product
        self.country = country
        self.origin = origin
        self.numberType = numberType
        self.markupPercent = markupPercent
        self.markupFixed = markupFixed
        self.line = line
    }

    /// Whether the rule applies to a price of `product` for `country` in the `origin` list. A
    /// price with no product or list (a number's fees, a metered service) matches only rules
    /// that name none.
    func matches(product: Product?, country: String?, origin: OriginScope?, numberType: String?) -> Bool {
        (self.product == nil || self.product == product) && (self.country == nil || self.country == country)
            && (self.origin == nil || self.origin == origin) && (self.numberType == nil || self.numberType == numberType)
    }

    /// Of two rules that match, the one naming more wins; a country outweighs a number type,
    /// which outweighs an origin list, which outweighs a product (each weight above the sum of
    /// those below it).
    var specificity: Int {
        (country == nil ? 0 : 8) + (numberType == nil ? 0 : 4) + (origin == nil ? 0 : 2) + (product == nil ? 0 : 1)
    }

    /// `sms-outbound ES: +15 % +0.001`, as explanations name it.
    public var label: String {
        let scope = [product?.rawValue, country, origin.map { "\($0.rawValue) list" }, numberType].compactMap { $0 }
        var markup: [String] = []
        if markupPercent != .zero { markup.append((markupPercent.isNegative ? "" : "+") + markupPercent.plainText + " %") }
        if markupFixed != .zero { markup.append((markupFixed.isNegative ? "" : "+") + markupFixed.plainText) }
        return (scope.isEmpty ? "every price" : scope.joined(separator: " ")) + ": " + (markup.isEmpty ? "at cost" : markup.joined(separator: " "))
    }
}
