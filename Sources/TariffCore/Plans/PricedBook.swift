/// A rate book as one account sees it: every price the book answers, passed through the
/// account's price plan (the version in force when the price applies). Without a plan it
/// answers exactly what the book does. It holds no copy of the book's rows, so one can be
/// made per account and request; quotes, listings, fees and the change feed all take their
/// prices from ``price(_:at:)`` and its siblings, so that no two answers disagree.
public struct PricedBook: Sendable {
    public let book: RateBook
    public let plan: PlanSchedule?
    /// The override decks the plan's versions name, by name (a name with no book: no own prices).
    public let overrides: [String: RateBook]

    public init(_ book: RateBook, plan: PlanSchedule? = nil, overrides: [String: RateBook] = [:]) {
        self.book = book
        self.plan = plan
        self.overrides = overrides
    }

    public var deck: String { book.deck }
    public var version: Int64 { book.version }
    public var reference: ReferenceData { book.reference }
    public var count: Int { book.count }
    public var services: PricedServices { PricedServices(catalog: book.services, plan: plan, overrides: overrides) }
    public var templates: PricedTemplates { PricedTemplates(catalog: book.templates, plan: plan, overrides: overrides) }

    /// `rate` as the account pays it at `instant`: the override deck's own row of the same key,
    /// else the rules; nil when the plan cannot price it.
    public func price(_ rate: Rate, at instant: Instant) -> (rate: Rate, plan: PlanApplication?)? {
        let at = max(instant, rate.effectiveFrom)
        guard let version = plan?.version(at: at) else { return (rate, nil) }
        if let deck = version.plan.overrideDeck, let base = rate.terms, let own = overrides[deck]?.version(of: rate.key, at: at)?.terms {
            let application = Self.ownPrice(Money(own.price, own.currency), over: Money(base.price, base.currency), deck: deck, version: version)
            return (Rate(key: rate.key, effectiveFrom: rate.effectiveFrom, terms: own, deckVersion: rate.deckVersion), application)
        }
        guard let (planned, priced) = version.plan.applied(to: rate) else { return nil }
        return (planned, priced.map { PlanApplication(plan: version.plan.name, version: version.id, priced: $0) })
    }

    /// What an override deck's own price is to the plan: the deck's price is the cost; no rule.
    static func ownPrice(_ own: Money, over base: Money, deck: String, version: PlanVersion) -> PlanApplication {
        let priced = PlannedPrice(
            cost: base.amount,
            price: own.amount,
            rule: nil,
            steps: ["cost \(base.amount.plainText) \(base.currency)", "own price \(own.amount.plainText) \(own.currency)"]
        )
        return PlanApplication(plan: version.plan.name, version: version.id, priced: priced, ownDeck: deck, hasMargin: own.currency == base.currency)
    }

    func price(_ price: NumberPrice, at instant: Instant) -> NumberPrice? {
        let at = max(instant, price.effectiveFrom)
        guard let version = plan?.version(at: at) else { return price }
        if price.terms != nil, let deck = version.plan.overrideDeck, let own = overrides[deck]?.numberPrice(key: price.key, at: at) {
            return NumberPrice(key: price.key, effectiveFrom: price.effectiveFrom, terms: own.terms, deckVersion: price.deckVersion)
        }
        return version.plan.applied(to: price)
    }

    /// A change point of the deck as the account sees it: the price before, as `map` prices it
    /// just before the change, and after, as it prices it from then (a price the plan cannot
    /// hold reads as closed); nil when the account's price stays as it was (a rise rounded
    /// away). Changes of the plan alone are not listed.
    static func planned<Entry: TimelineEntry>(
        _ point: (old: Entry?, new: Entry, change: DeckDiff.Change),
        through priced: PricedBook?,
        map: (Entry, Instant) -> Entry,
        price: (Entry.Terms) -> (Amount, CurrencyCode)
    ) -> (old: Entry?, new: Entry, change: DeckDiff.Change)? {
        guard priced?.plan != nil else { return point }
        let at = point.new.effectiveFrom
        let old = point.old.map { map($0, Instant(secondsSince1970: at.secondsSince1970 - 1)) }
        let new = map(point.new, at)
        guard let change = DeckDiff.change(old?.terms, new.terms, price: price) else { return nil }
        return (old?.terms == nil ? nil : old, new, change)
    }

    /// ``RateBook/changes(_:plan:)`` under this book's plan.
    public func changes(_ filter: ChangeFilter) -> [PriceChange] { book.changes(filter, through: self) }

    // MARK: What RateBook answers, through the plan

    public func quote(
        _ number: PhoneNumber,
        product: Product,
        from origin: CallOrigin? = nil,
        at instant: Instant,
        nextChange: Bool = true
    ) throws(RatingError) -> PriceQuote {
        let quote = try book.quote(number, product: product, from: origin, at: instant, nextChange: nextChange)
        guard plan != nil else { return quote }
        guard let (rate, application) = price(quote.rate, at: instant) else { throw .noPrice(number, product: product, at: instant) }
        let next = quote.next.flatMap { price($0, at: $0.effectiveFrom)?.rate }
        return quote.planned(rate: rate, next: next, plan: application)
    }

    public func rate(for number: PhoneNumber, product: Product, list scope: OriginScope, at instant: Instant) -> Rate? {
        book.rate(for: number, product: product, list: scope, at: instant).flatMap { price($0, at: instant)?.rate }
    }

    public func rates(at instant: Instant, product: Product? = nil, scheduled: Bool = false) -> [Rate] {
        var result: [Rate] = []
        forEachRate(at: instant, product: product, scheduled: scheduled) { result.append($0) }
        return result
    }

    /// Rows the plan cannot price are left out, as a quote of them answers no price.
    public func forEachRate<Failure: Error>(
        at instant: Instant,
        product: Product? = nil,
        scheduled: Bool = false,
        _ body: (Rate) throws(Failure) -> Void
    ) throws(Failure) {
        guard plan != nil else { return try book.forEachRate(at: instant, product: product, scheduled: scheduled, body) }
        try book.forEachRate(at: instant, product: product, scheduled: scheduled) { (rate: Rate) throws(Failure) in
            if let priced = price(rate, at: instant) { try body(priced.rate) }
        }
    }

    /// The book's next change, or the plan's or an override deck's when it comes first.
    public func nextScheduledChange(after instant: Instant, product: Product? = nil) -> Instant? {
        var dates = [book.nextScheduledChange(after: instant, product: product), plan?.nextChange(after: instant)]
        dates += overrides.values.map { $0.nextScheduledChange(after: instant, product: product) }
        return dates.compactMap { $0 }.min()
    }

    public func numberPrices(at instant: Instant, scheduled: Bool = false) -> [NumberPrice] {
        let prices = book.numberPrices(at: instant, scheduled: scheduled)
        guard plan != nil else { return prices }
        return prices.compactMap { price($0, at: instant) }
    }

    public func numberPrice(country: String, category: String, regionCode: String? = nil, at instant: Instant) -> NumberPrice? {
        book.numberPrice(country: country, category: category, regionCode: regionCode, at: instant).flatMap { price($0, at: instant) }
    }

    public func servicePrices(at instant: Instant, scheduled: Bool = false) -> [ServicePrice] {
        let prices = book.servicePrices(at: instant, scheduled: scheduled)
        guard plan != nil else { return prices }
        return prices.compactMap { services.price($0, at: instant)?.price }
    }

    public func templatePrices(at instant: Instant, scheduled: Bool = false) -> [TemplatePrice] {
        let prices = book.templatePrices(at: instant, scheduled: scheduled)
        guard plan != nil else { return prices }
        return prices.compactMap { templates.price($0, at: instant) }
    }
}

/// A book's metered services through a plan (see ``PricedBook``).
public struct PricedServices: Sendable {
    let catalog: ServiceCatalog
    let plan: PlanSchedule?
    let overrides: [String: RateBook]

    public var products: [String] { catalog.products }

    func price(_ price: ServicePrice, at instant: Instant) -> (price: ServicePrice, plan: PlanApplication?)? {
        let at = max(instant, price.effectiveFrom)
        guard let version = plan?.version(at: at) else { return (price, nil) }
        if let deck = version.plan.overrideDeck, let base = price.terms, let own = overrides[deck]?.services.price(key: price.key, at: at)?.terms {
            let application = PricedBook.ownPrice(
                Money(own.price, own.currency),
                over: Money(base.price, base.currency),
                deck: deck,
                version: version
            )
            return (ServicePrice(key: price.key, effectiveFrom: price.effectiveFrom, terms: own, deckVersion: price.deckVersion), application)
        }
        guard let (planned, priced) = version.plan.applied(to: price) else { return nil }
        return (planned, priced.map { PlanApplication(plan: version.plan.name, version: version.id, priced: $0) })
    }

    public func inForce(at instant: Instant) -> [ServicePrice] {
        catalog.inForce(at: instant).compactMap { price($0, at: instant)?.price }
    }

    public func quote(product: String, variant: String?, country: String?, at instant: Instant) throws(ServiceQuoteError) -> ServiceQuote {
        let quote = try catalog.quote(product: product, variant: variant, country: country, at: instant)
        guard plan != nil else { return quote }
        guard let (priced, application) = price(quote.price, at: instant) else {
            throw .noPrice(product: product, variant: variant, country: country, at: instant)
        }
        var planned = ServiceQuote(
            product: quote.product,
            variant: quote.variant,
            country: quote.country,
            instant: quote.instant,
            price: priced,
            matchedBy: quote.matchedBy,
            next: quote.next.flatMap { price($0, at: $0.effectiveFrom)?.price }
        )
        planned.plan = application
        return planned
    }
}

/// A book's subscription templates through a plan (see ``PricedBook``).
public struct PricedTemplates: Sendable {
    let catalog: TemplateCatalog
    let plan: PlanSchedule?
    let overrides: [String: RateBook]

    func price(_ price: TemplatePrice, at instant: Instant) -> TemplatePrice? {
        let at = max(instant, price.effectiveFrom)
        guard let version = plan?.version(at: at) else { return price }
        if price.terms != nil, let deck = version.plan.overrideDeck, let own = overrides[deck]?.templates.price(of: price.key.name, at: at),
            own.terms != nil
        {
            return TemplatePrice(key: price.key, effectiveFrom: price.effectiveFrom, terms: own.terms, deckVersion: price.deckVersion)
        }
        return version.plan.applied(to: price)
    }

    public func inForce(at instant: Instant) -> [TemplatePrice] {
        catalog.inForce(at: instant).compactMap { price($0, at: instant) }
    }

    public func price(of name: String, at instant: Instant) -> TemplatePrice? {
        catalog.price(of: name, at: instant).flatMap { price($0, at: instant) }
    }
}
