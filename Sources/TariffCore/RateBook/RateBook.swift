/// One deck version compiled for pricing: immutable, built off the hot path, then published
/// whole. Lookups touch only memory (prefix indexes and tables), never the database.
///
/// Outbound rates are stored packed (``RateRow``, strings shared), and a new deck version is
/// applied to the book in force (``applying(version:rates:numberPrices:)``) rather than
/// compiled from every stored version again.
public final class RateBook: Sendable {
    /// The deck (price list) name: `base` until per-account plans add others.
    public let deck: String
    /// The deck version compiled; 0 for an empty deck.
    public let version: Int64
    public let reference: ReferenceData
    public let numberPrices: [NumberPrice]
    /// Metered services (speech, recording, app calls, ...): priced by product, not by number.
    public let services: ServiceCatalog
    /// Subscription templates that are not numbers: SIP registrations and packages.
    public let templates: TemplateCatalog

    let tables: RateTables
    let lists: PriceLists
    /// Inbound rows (a few per country and category), by product, in key order.
    let inboundRates: [Product: [Rate]]
    private let inbound: [Product: InboundRates]
    let numberTimelines: [NumberPriceKey: Timeline<NumberPrice>]

    struct ListKey: Hashable {
        let product: Product
        let origin: OriginScope
    }

    /// Compiles every version of a deck.
    public convenience init(
        deck: String,
        version: Int64,
        reference: ReferenceData,
        rates: [Rate],
        numberPrices: [NumberPrice],
        servicePrices: [ServicePrice] = [],
        templatePrices: [TemplatePrice] = []
    ) throws(PrefixIndexError) {
        try self.init(
            previous: nil,
            deck: deck,
            version: version,
            reference: reference,
            rates: rates,
            numberPrices: numberPrices,
            servicePrices: servicePrices,
            templatePrices: templatePrices
        )
    }

    /// The next version of this book: these rates and subscription prices (those a deck
    /// version stored, all newer than the book's own) added to the ones held. Lists the new
    /// rows do not touch are shared with this book, and a list's prefix index is kept when the
    /// rows bring no new prefix.
    public func applying(
        version: Int64,
        rates: [Rate],
        numberPrices: [NumberPrice],
        servicePrices: [ServicePrice] = [],
        templatePrices: [TemplatePrice] = []
    ) throws(PrefixIndexError) -> RateBook {
        try RateBook(
            previous: self,
            deck: deck,
            version: version,
            reference: reference,
            rates: rates,
            numberPrices: numberPrices,
            servicePrices: servicePrices,
            templatePrices: templatePrices
        )
    }

    /// A book from parts already compiled (a snapshot's).
    init(
        deck: String,
        version: Int64,
        reference: ReferenceData,
        tables: RateTables,
        lists: PriceLists,
        inbound rates: [Rate],
        numberPrices: [NumberPrice],
        services: ServiceCatalog,
        templates: TemplateCatalog
    ) {
        self.services = services
        self.templates = templates
        self.deck = deck
        self.version = version
        self.reference = reference
        self.tables = tables
        self.lists = lists
        let byProduct = Dictionary(grouping: rates, by: \.key.product).mapValues {
            $0.sorted { ($0.key, $0.effectiveFrom, $0.deckVersion) < ($1.key, $1.effectiveFrom, $1.deckVersion) }
        }
        inboundRates = byProduct
        inbound = byProduct.mapValues { InboundRates(rates: $0) }
        self.numberPrices = numberPrices
        numberTimelines = Dictionary(grouping: numberPrices, by: \.key).mapValues { Timeline($0) }
    }

    init(
        previous: RateBook?,
        deck: String,
        version: Int64,
        reference: ReferenceData,
        rates: [Rate],
        numberPrices added: [NumberPrice],
        servicePrices: [ServicePrice],
        templatePrices: [TemplatePrice]
    )
        throws(PrefixIndexError)
    {
        services = previous?.services.adding(servicePrices) ?? ServiceCatalog(servicePrices)
        templates = previous?.templates.adding(templatePrices) ?? TemplateCatalog(templatePrices)
        self.deck = deck
        self.version = version
        self.reference = reference
        var tables = previous?.tables ?? RateTables()
        var incoming: [ListKey: [RateRow]] = [:]
        var inboundAdded: [Product: [Rate]] = [:]
        for (position, rate) in rates.enumerated() {
            if rate.key.product.isInbound {
                inboundAdded[rate.key.product, default: []].append(rate)
                continue
            }
            guard let row = tables.row(for: rate) else { throw .invalidPrefix(position: position, value: rate.key.prefix ?? "") }
            incoming[ListKey(product: rate.key.product, origin: rate.key.origin), default: []].append(row)
        }
        var lists = previous?.lists ?? PriceLists()
        for (key, rows) in incoming {
            let sorted = rows.sorted { tables.precedes($0, $1) }
            if let held = lists[key] {
                lists[key] = try held.merging(sorted, tables: tables)
            } else {
                lists[key] = try PriceList(product: key.product, origin: key.origin, rows: sorted, tables: tables)
            }
        }
        var inboundRates = previous?.inboundRates ?? [:]
        var inbound = previous?.inbound ?? [:]
        for (product, rates) in inboundAdded {
            let all = ((inboundRates[product] ?? []) + rates).sorted {
                ($0.key, $0.effectiveFrom, $0.deckVersion) < ($1.key, $1.effectiveFrom, $1.deckVersion)
            }
            inboundRates[product] = all
            inbound[product] = InboundRates(rates: all)
        }
        self.tables = tables
        self.lists = lists
        self.inboundRates = inboundRates
        self.inbound = inbound
        if added.isEmpty, let previous {
            self.numberPrices = previous.numberPrices
            numberTimelines = previous.numberTimelines
        } else {
            let all = (previous?.numberPrices ?? []) + added
            self.numberPrices = all
            numberTimelines = Dictionary(grouping: all, by: \.key).mapValues { Timeline($0) }
        }
    }

    /// An empty book over the reference data (a database with no prices yet).
    public static func empty(reference: ReferenceData) -> RateBook {
        // An empty prefix set cannot fail to index.
        try! RateBook(deck: "base", version: 0, reference: reference, rates: [], numberPrices: [])
    }

    /// The number of rate versions held.
    public var count: Int {
        lists.values.reduce(0) { $0 + $1.rows.count } + inboundRates.values.reduce(0) { $0 + $1.count } + services.prices.count
            + templates.prices.count
    }

    /// Bytes held by the rates (rows, indexes, shared strings; inbound rows estimated), for the memory figures.
    public var byteCount: Int {
        lists.values.reduce(tables.byteCount) { $0 + $1.byteCount }
            + inboundRates.values.reduce(0) { $0 + $1.count * (MemoryLayout<Rate>.stride + 64) }
    }

    // MARK: Pricing one number

    /// The price of `product` for `number` at `instant`, with the reasons: which list applied
    /// (domestic, EEA, international), which row (prefix, network, number type, country).
    ///
    /// For outbound products `origin` is where the call or message comes from; for inbound
    /// products it is the caller.
    /// `nextChange: false` leaves `next` out, for answers that do not show it (it is a search of its own).
    public func quote(
        _ number: PhoneNumber,
        product: Product,
        from origin: CallOrigin? = nil,
        at instant: Instant,
        nextChange findNext: Bool = true
    ) throws(RatingError) -> PriceQuote {
        let info = reference.classify(number.key)
        guard reference.hasPossibleLength(number, info: info) else { throw .impossibleLength(number, country: info.country?.iso2) }
        guard let destination = info.country else { throw .unknownDestination(number) }
        let originCountry: Country?
        switch origin {
        case .none: originCountry = nil
        case .country(let iso):
            guard let country = reference.country(iso) else { throw .unknownOrigin(iso) }
            originCountry = country
        case .number(let caller):
            guard let country = reference.classify(caller.key).country else { throw .unknownOrigin(caller.e164) }
            originCountry = country
        }
        if product.isInbound {
            return try quoteInbound(
                number,
                info: info,
                destination: destination,
                product: product,
                origin: origin,
                originCountry: originCountry,
                at: instant,
                findNext: findNext
            )
        }
        // The reasons are words for people, written only when asked for: a bulk request
        // prices millions of numbers and reads none of them.
        var skipped = PriceQuote.Scopes()
        for scope in Self.scopeOrder(destination: destination, origin: originCountry) {
            guard let list = lists.list(product, scope),
                let (rate, match) = list.match(number.key, info: info, at: instant, tables: tables)
            else {
                skipped.insert(scope)
                continue
            }
            return PriceQuote(
                number: number,
                product: product,
                instant: instant,
                destination: info,
                originCountry: originCountry,
                list: scope,
                skippedScopes: skipped,
                match: match,
                rate: rate,
                next: findNext ? nextChange(of: rate.key, after: instant, current: rate.terms) : nil
            )
        }
        throw .noPrice(number, product: product, at: instant)
    }

    /// The lists of ``listOrder(destination:origin:)``, without their reasons.
    static func scopeOrder(destination: Country, origin: Country?) -> PriceQuote.ScopeOrder {
        guard let origin else { return PriceQuote.ScopeOrder(.international, .any) }
        switch (origin.iso2 == destination.iso2, origin.isEEA) {
        case (true, true): return PriceQuote.ScopeOrder(.domestic, .eea, .international, .any)
        case (true, false): return PriceQuote.ScopeOrder(.domestic, .international, .any)
        case (false, true): return PriceQuote.ScopeOrder(.eea, .international, .any)
        case (false, false): return PriceQuote.ScopeOrder(.international, .any)
        }
    }

    /// The seed's rule: a call within one country takes the domestic list, a call from the EEA
    /// the EEA list, any other the international list; each falls through to the next when it
    /// has no price for the number, and rows for `any` origin apply last.
    static func listOrder(destination: Country, origin: Country?) -> [(OriginScope, String)] {
        var order: [(OriginScope, String)] = []
        if let origin {
            if origin.iso2 == destination.iso2 {
                order.append((.domestic, "domestic: from \(origin.iso2) to \(destination.iso2), within one country"))
            }
            if origin.isEEA {
                order.append((.eea, "EEA: from \(origin.iso2), an EEA country"))
            }
            order.append((.international, "international: from \(origin.iso2) to \(destination.iso2)"))
        } else {
            order.append((.international, "international: no origin given"))
        }
        order.append((.any, "rows for any origin"))
        return order
    }

    private func quoteInbound(
        _ number: PhoneNumber,
        info: NumberInfo,
        destination: Country,
        product: Product,
        origin: CallOrigin?,
        originCountry: Country?,
        at instant: Instant,
        findNext: Bool
    ) throws(RatingError) -> PriceQuote {
        var caller: (key: DigitKey, info: NumberInfo)?
        if case .number(let callerNumber) = origin { caller = (callerNumber.key, reference.classify(callerNumber.key)) }
        guard let rates = inbound[product],
            let (rate, match) = rates.match(country: destination, category: info.category, caller: caller, callerCountry: originCountry, at: instant)
        else { throw .noPrice(number, product: product, at: instant) }
        return PriceQuote(
            number: number,
            product: product,
            instant: instant,
            destination: info,
            originCountry: originCountry,
            list: rate.key.origin,
            skippedScopes: PriceQuote.Scopes(),
            match: match,
            rate: rate,
            next: findNext ? nextChange(of: rate.key, after: instant, current: rate.terms) : nil
        )
    }

    /// The next version of `key` after `instant` whose terms differ from those in force then
    /// (a version repeating the same terms, as a cancelled change leaves, is no change).
    private func nextChange(of key: RateKey, after instant: Instant, current: RateTerms?) -> Rate? {
        let versions: [Rate]
        if key.product.isInbound {
            versions = (inboundRates[key.product] ?? []).filter { $0.key == key }
        } else {
            versions = lists[ListKey(product: key.product, origin: key.origin)]?.versions(of: key, tables: tables) ?? []
        }
        // In time order: several versions may start at one instant, and the newest deck's wins, as in `Timeline.at`.
        var index = versions.firstIndex { $0.effectiveFrom > instant } ?? versions.count
        while index < versions.count {
            var newest = index
            while newest + 1 < versions.count, versions[newest + 1].effectiveFrom == versions[index].effectiveFrom { newest += 1 }
            if versions[newest].terms != current { return versions[newest] }
            index = newest + 1
        }
        return nil
    }

    /// The first instant after `instant` at which a version of `product` starts: until then,
    /// anything rendered from this book at `instant` stays true.
    public func nextScheduledChange(after instant: Instant, product: Product? = nil) -> Instant? {
        let after = instant.secondsSince1970
        var earliest = Int64.max
        for list in lists.values where product == nil || list.product == product {
            for row in list.rows where row.effectiveFrom > after && row.effectiveFrom < earliest { earliest = row.effectiveFrom }
        }
        for (inboundProduct, rates) in inboundRates where product == nil || inboundProduct == product {
            for rate in rates where rate.effectiveFrom.secondsSince1970 > after && rate.effectiveFrom.secondsSince1970 < earliest {
                earliest = rate.effectiveFrom.secondsSince1970
            }
        }
        // Metered prices change what GetResourcePrice lists too; they have no phone product.
        if product == nil {
            for price in services.prices where price.effectiveFrom.secondsSince1970 > after && price.effectiveFrom.secondsSince1970 < earliest {
                earliest = price.effectiveFrom.secondsSince1970
            }
        }
        return earliest == .max ? nil : Instant(secondsSince1970: earliest)
    }

    // MARK: Listings

    /// The version of every key in force at `instant`, in key order; with `scheduled`, also
    /// each later version that changes the price (what an export needs to keep scheduled
    /// changes when it is imported again).
    public func rates(at instant: Instant, product: Product? = nil, scheduled: Bool = false) -> [Rate] {
        var result: [Rate] = []
        forEachRate(at: instant, product: product, scheduled: scheduled) { result.append($0) }
        return result
    }

    /// ``rates(at:product:scheduled:)`` one rate at a time, so that a listing of a million
    /// rates (an export) never holds them all.
    public func forEachRate<Failure: Error>(
        at instant: Instant,
        product: Product? = nil,
        scheduled: Bool = false,
        _ body: (Rate) throws(Failure) -> Void
    ) throws(Failure) {
        for listed in Product.allCases.sorted() where product == nil || listed == product {
            if listed.isInbound {
                let rates = inboundRates[listed] ?? []
                var index = 0
                while index < rates.count {
                    var end = index
                    while end < rates.count, rates[end].key == rates[index].key { end += 1 }
                    for rate in Self.versions(of: rates[index..<end], at: instant, scheduled: scheduled) { try body(rate) }
                    index = end
                }
                continue
            }
            for origin in OriginScope.allCases.sorted() {
                guard let list = lists[ListKey(product: listed, origin: origin)] else { continue }
                let rows = list.rows
                let tables = tables
                var order = Array(0..<Int32(rows.count))
                order.sort { tables.keyOrder(rows[Int($0)], rows[Int($1)]) }
                var index = 0
                while index < order.count {
                    var end = index + 1
                    while end < order.count, tables.sameKey(rows[Int(order[end])], rows[Int(order[index])]) { end += 1 }
                    let block = order[index..<end].map { tables.rate(rows[Int($0)], product: listed, origin: origin) }
                    for rate in Self.versions(of: block[...], at: instant, scheduled: scheduled) { try body(rate) }
                    index = end
                }
            }
        }
    }

    /// One key's versions (sorted by date, then deck version): the one in force at `instant`,
    /// then, with `scheduled`, the later ones that apply (the newest deck's at each instant)
    /// and change the terms. Later closings cannot be written in a deck and are left out.
    static func versions<Entry: TimelineEntry>(of block: ArraySlice<Entry>, at instant: Instant, scheduled: Bool) -> [Entry] {
        var result: [Entry] = []
        var current: Entry?
        var position = block.startIndex
        while position < block.endIndex, block[position].effectiveFrom <= instant {
            current = block[position]
            position += 1
        }
        if let current, current.terms != nil { result.append(current) }
        guard scheduled else { return result }
        var lastTerms = current?.terms
        while position < block.endIndex {
            var newest = position
            while newest + 1 < block.endIndex, block[newest + 1].effectiveFrom == block[position].effectiveFrom { newest += 1 }
            let version = block[newest]
            if version.terms != lastTerms, version.terms != nil { result.append(version) }
            lastTerms = version.terms
            position = newest + 1
        }
        return result
    }

    /// Subscription prices in force at `instant`, in key order (with `scheduled`, as for rates).
    public func numberPrices(at instant: Instant, scheduled: Bool = false) -> [NumberPrice] {
        numberTimelines.keys.sorted().flatMap { key in
            Self.versions(of: numberTimelines[key]!.entries[...], at: instant, scheduled: scheduled)
        }
    }

    /// Metered service prices in force at `instant`, in key order (with `scheduled`, as for rates).
    public func servicePrices(at instant: Instant, scheduled: Bool = false) -> [ServicePrice] {
        Self.versionsByKey(services.prices, at: instant, scheduled: scheduled)
    }

    /// Subscription templates in force at `instant`, by name (with `scheduled`, as for rates).
    public func templatePrices(at instant: Instant, scheduled: Bool = false) -> [TemplatePrice] {
        Self.versionsByKey(templates.prices, at: instant, scheduled: scheduled)
    }

    /// ``versions(of:at:scheduled:)`` for each key of `prices`, which are sorted by key.
    static func versionsByKey<Entry: TimelineEntry>(_ prices: [Entry], at instant: Instant, scheduled: Bool) -> [Entry] {
        var result: [Entry] = []
        var start = 0
        while start < prices.count {
            var end = start + 1
            while end < prices.count, prices[end].key == prices[start].key { end += 1 }
            result += versions(of: prices[start..<end], at: instant, scheduled: scheduled)
            start = end
        }
        return result
    }

    /// The subscription price of a number category (a region's, when one is given and priced).
    public func numberPrice(country: String, category: String, regionCode: String? = nil, at instant: Instant) -> NumberPrice? {
        if let regionCode, let regional = numberTimelines[NumberPriceKey(country: country, category: category, regionCode: regionCode)]?.at(instant) {
            return regional
        }
        return numberTimelines[NumberPriceKey(country: country, category: category, regionCode: nil)]?.at(instant)
    }

    // MARK: Pseudo-networks

    /// `ES-FIXED` style codes: a country code, a dash, a kind of number.
    static func pseudoNetworkCountry(_ network: String) -> String? {
        guard let dash = network.firstIndex(of: "-") else { return nil }
        return String(network[..<dash])
    }

    static func pseudoNetworkType(network: String, numberType: String?) -> NumberType? {
        guard network.contains("-") else { return nil }
        if let numberType, let type = NumberType(rawValue: numberType) { return type }
        return NumberType(pseudoNetworkCode: network)
    }
}
