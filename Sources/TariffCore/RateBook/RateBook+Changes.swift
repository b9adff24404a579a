extension RateBook {
    /// Every change of price since `since`, as the book's timelines now stand: rates of
    /// `products` then, with `numbers`, number fees; in key order, each key's changes by date.
    /// `country` (ISO 3166) keeps the changes of that country only. Rows are tested before they
    /// are unpacked, so a feed of a few changes from a million-row deck unpacks a few keys.
    public func changes<Failure: Error>(
        since: ChangeSince,
        products: [Product] = Product.allCases,
        numbers: Bool = true,
        country: String? = nil,
        through priced: PricedBook? = nil,
        _ body: (PriceChange) throws(Failure) -> Void
    ) throws(Failure) {
        for product in Product.allCases.sorted() where products.contains(product) {
            if product.isInbound {
                let rates = inboundRates[product] ?? []
                var start = 0
                while start < rates.count {
                    var end = start + 1
                    while end < rates.count, rates[end].key == rates[start].key { end += 1 }
                    try rateChanges(rates[start..<end], since: since, country: country, through: priced, body)
                    start = end
                }
                continue
            }
            for origin in OriginScope.allCases.sorted() {
                guard let list = lists[ListKey(product: product, origin: origin)] else { continue }
                try listChanges(list, since: since, country: country, through: priced, body)
            }
        }
        guard numbers else { return }
        for key in numberTimelines.keys.sorted() where country == nil || key.country == country {
            let monthly: (NumberPriceTerms) -> (Amount, CurrencyCode) = { ($0.monthly, $0.currency) }
            let points = Self.changePoints(numberTimelines[key]!.entries[...], since: since, price: monthly).compactMap {
                PricedBook.planned($0, through: priced, map: { priced?.price($0, at: $1) ?? $0.closing(at: $0.effectiveFrom) }, price: monthly)
            }
            for (old, new, change) in points {
                func side(_ entry: NumberPrice?) -> PriceChange.Side? {
                    guard let entry, let terms = entry.terms else { return nil }
                    return PriceChange.Side(
                        price: Money(terms.monthly, terms.currency),
                        setup: Money(terms.installation, terms.currency),
                        effectiveFrom: entry.effectiveFrom,
                        deckVersion: entry.deckVersion
                    )
                }
                try body(
                    PriceChange(
                        subject: .number(key),
                        country: key.country,
                        change: change,
                        old: side(old),
                        new: side(new),
                        effectiveFrom: new.effectiveFrom,
                        deckVersion: new.deckVersion
                    )
                )
            }
        }
    }

    /// The changes of one outbound list: only the keys with a row in the feed are unpacked.
    private func listChanges<Failure: Error>(
        _ list: PriceList,
        since: ChangeSince,
        country: String?,
        through priced: PricedBook?,
        _ body: (PriceChange) throws(Failure) -> Void
    ) throws(Failure) {
        let rows = list.rows
        func included(_ row: RateRow) -> Bool { since.includes(effectiveFrom: row.effectiveFrom, deckVersion: row.deckVersion) }
        let count = rows.reduce(0) { included($1) ? $0 + 1 : $0 }
        guard count > 0 else { return }
        var order: [Int]
        if count * 4 < rows.count {
            // A few keys: pick their rows out through a set of them.
            var touched = Set<RowKey>(minimumCapacity: count)
            for row in rows where included(row) { touched.insert(RowKey(row)) }
            order = rows.indices.filter { touched.contains(RowKey(rows[$0])) }
        } else {
            // Most of the list (a feed from the start): every row, in key order.
            order = Array(rows.indices)
        }
        let tables = tables
        order.sort { tables.keyOrder(rows[$0], rows[$1]) }
        var start = 0
        while start < order.count {
            var end = start + 1
            while end < order.count, tables.sameKey(rows[order[end]], rows[order[start]]) { end += 1 }
            defer { start = end }
            guard order[start..<end].contains(where: { included(rows[$0]) }) else { continue }
            let block = order[start..<end].map { tables.rate(rows[$0], product: list.product, origin: list.origin) }
            try rateChanges(block[...], since: since, country: country, through: priced, body)
        }
    }

    private func rateChanges<Failure: Error>(
        _ versions: ArraySlice<Rate>,
        since: ChangeSince,
        country wanted: String?,
        through priced: PricedBook?,
        _ body: (PriceChange) throws(Failure) -> Void
    ) throws(Failure) {
        guard let key = versions.first?.key else { return }
        let country = self.country(of: key)
        if let wanted, country != wanted { return }
        let price: (RateTerms) -> (Amount, CurrencyCode) = { ($0.price, $0.currency) }
        let points = Self.changePoints(versions, since: since, price: price).compactMap {
            PricedBook.planned($0, through: priced, map: { priced?.price($0, at: $1)?.rate ?? $0.closing(at: $0.effectiveFrom) }, price: price)
        }
        for (old, new, change) in points {
            func side(_ entry: Rate?) -> PriceChange.Side? {
                guard let entry, let terms = entry.terms else { return nil }
                return PriceChange.Side(
                    price: Money(terms.price, terms.currency),
                    setup: nil,
                    effectiveFrom: entry.effectiveFrom,
                    deckVersion: entry.deckVersion
                )
            }
            try body(
                PriceChange(
                    subject: .rate(key),
                    country: country,
                    change: change,
                    old: side(old),
                    new: side(new),
                    effectiveFrom: new.effectiveFrom,
                    deckVersion: new.deckVersion
                )
            )
        }
    }

    /// The country a rate prices: its own, else its prefix's, else its network's.
    func country(of key: RateKey) -> String? {
        if let country = key.country { return country }
        if let prefix = key.prefix, let digits = DigitKey(prefix), let known = reference.classify(digits).country { return known.iso2 }
        if let network = key.network { return reference.network(network)?.countryISO2 }
        return nil
    }

    /// The points of one key's timeline (its versions by date, then deck version) where the
    /// terms in force change and `since` includes the version that changes them: the version
    /// in force just before (nil for none), the new one, and how it differs by `price` (the
    /// amount a change is judged by). Of versions starting at one instant the newest deck's
    /// applies, as in ``Timeline``.
    static func changePoints<Entry: TimelineEntry>(
        _ versions: ArraySlice<Entry>,
        since: ChangeSince,
        price: (Entry.Terms) -> (Amount, CurrencyCode)
    ) -> [(old: Entry?, new: Entry, change: DeckDiff.Change)] {
        var points: [(old: Entry?, new: Entry, change: DeckDiff.Change)] = []
        var previous: Entry?
        var position = versions.startIndex
        while position < versions.endIndex {
            var newest = position
            while newest + 1 < versions.endIndex, versions[newest + 1].effectiveFrom == versions[position].effectiveFrom { newest += 1 }
            let version = versions[newest]
            if since.includes(version), let change = DeckDiff.change(previous?.terms, version.terms, price: price) {
                points.append((previous?.terms == nil ? nil : previous, version, change))
            }
            previous = version
            position = newest + 1
        }
        return points
    }
}

/// A rate row's key, as ids: rows compare by it without their strings.
private struct RowKey: Hashable {
    let prefix: UInt64
    let country: Int32
    let network: Int32
    let numberType: Int32

    init(_ row: RateRow) { (prefix, country, network, numberType) = (row.prefix, row.country, row.network, row.numberType) }
}
