/// A plan applied to each kind of price a deck holds. The price per minute, message, unit or
/// month takes the whole plan; a one-time fee (a connect fee, a setup fee, a number's NRC)
/// takes only the rule's percentage, so that a fixed markup or a floor meant for the recurring
/// price is not charged twice. A price the plan cannot hold (an overflow: a deck price near
/// 10¹¹ marked up) is nil, which its callers answer as no price.
extension PricePlan {
    /// `rate` with the plan's price; the rule is chosen by the row, never by the number asked
    /// for, so that a listing and a quote of the same row agree.
    func applied(to rate: Rate) -> (Rate, PlannedPrice?)? {
        guard var terms = rate.terms else { return (rate, nil) }
        let key = rate.key
        let numberType = key.numberType ?? key.network.flatMap { RateBook.pseudoNetworkType(network: $0, numberType: nil)?.rawValue }
        guard let priced = try? price(terms.price, product: key.product, country: key.country, origin: key.origin, numberType: numberType),
            let fee = try? oneTime(terms.connectFee, rule: priced.rule)
        else { return nil }
        terms.price = priced.price
        terms.connectFee = fee
        return (Rate(key: key, effectiveFrom: rate.effectiveFrom, terms: terms, deckVersion: rate.deckVersion), priced)
    }

    func applied(to price: NumberPrice) -> NumberPrice? {
        guard var terms = price.terms else { return price }
        let type = Self.numberType(category: price.key.category)
        guard let monthly = try? self.price(terms.monthly, product: nil, country: price.key.country, origin: nil, numberType: type),
            let setup = try? oneTime(terms.installation, rule: monthly.rule)
        else { return nil }
        terms.monthly = monthly.price
        terms.installation = setup
        return NumberPrice(key: price.key, effectiveFrom: price.effectiveFrom, terms: terms, deckVersion: price.deckVersion)
    }

    func applied(to price: ServicePrice) -> (ServicePrice, PlannedPrice?)? {
        guard var terms = price.terms else { return (price, nil) }
        guard let priced = try? self.price(terms.price, product: nil, country: price.key.country, origin: nil, numberType: nil),
            let setup = try? oneTime(terms.setupFee, rule: priced.rule)
        else { return nil }
        terms.price = priced.price
        terms.setupFee = setup
        return (ServicePrice(key: price.key, effectiveFrom: price.effectiveFrom, terms: terms, deckVersion: price.deckVersion), priced)
    }

    func applied(to price: TemplatePrice) -> TemplatePrice? {
        guard var terms = price.terms else { return price }
        guard let monthly = try? self.price(terms.monthly, product: nil, country: nil, origin: nil, numberType: nil),
            let setup = try? oneTime(terms.installation, rule: monthly.rule)
        else { return nil }
        terms.monthly = monthly.price
        terms.installation = setup
        return TemplatePrice(key: price.key, effectiveFrom: price.effectiveFrom, terms: terms, deckVersion: price.deckVersion)
    }

    /// A one-time fee: the rule's percentage, rounded as the plan rounds; nothing else.
    func oneTime(_ fee: Amount, rule: PlanRule?) throws(AmountError) -> Amount {
        guard fee != .zero, let rule, rule.markupPercent != .zero else { return fee }
        var marked = try fee + fee.scaled(by: rule.markupPercent.units, over: Self.hundredPercent, rounding: .charge)
        if let rounding { marked = marked.rounded(rounding) }
        return marked.isNegative ? .zero : marked
    }

    /// The number type of a Voximplant number category, for rules that name one.
    static func numberType(category: String) -> String? {
        switch category.uppercased() {
        case "MOBILE": NumberType.mobile.rawValue
        case "GEOGRAPHIC", "NATIONAL": NumberType.landline.rawValue
        case "TOLLFREE", "TOLL_FREE": NumberType.landlineTollfree.rawValue
        case "PREMIUM": NumberType.landlinePremium.rawValue
        default: nil
        }
    }
}
