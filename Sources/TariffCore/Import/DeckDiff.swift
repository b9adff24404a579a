/// What changed in a deck between two of its versions, as prices in force at one instant: the
/// answer to "what did this import do to my prices?". Only keys that a version after `from`
/// and up to `to` touched can differ, so only their histories are compared. Every change is
/// counted; the first `limit` of them, in the order the store gave the keys, are kept whole.
public struct DeckDiff: Sendable, Hashable {
    /// How a price differs: a price of the same currency compares by amount; a change of
    /// currency, increment, connect fee or description alone is `otherTerms`.
    public enum Change: String, Sendable, Hashable, CaseIterable {
        case new, increased, decreased, closed
        case otherTerms = "other_terms"
    }

    /// A price as it stood on one side of the comparison.
    public struct Side: Sendable, Hashable {
        public let price: Amount
        public let currency: CurrencyCode
        public let effectiveFrom: Instant
    }

    /// One key whose price differs, with both sides (nil where there was, or is, no price).
    public struct Item: Sendable, Hashable {
        /// `rate`, `number_price`, `service_price` or `template`.
        public let kind: String
        public let key: String
        public let change: Change
        public let old: Side?
        public let new: Side?
    }

    public let from: Int64
    public let to: Int64
    public let instant: Instant
    /// How many items are kept whole.
    public let limit: Int
    public private(set) var items: [Item] = []
    public private(set) var counts: [Change: Int] = [:]
    public private(set) var total = 0

    public init(from: Int64, to: Int64, at instant: Instant, limit: Int = .max) {
        self.from = from
        self.to = to
        self.instant = instant
        self.limit = limit
    }

    public func count(_ change: Change) -> Int { counts[change] ?? 0 }

    // Non-generic entry points: a generic call from another module would run unspecialised,
    // which costs seconds on a million rates.

    /// Adds the changes among `rates` (every stored version of the keys concerned).
    public mutating func compare(rates: [Rate]) {
        compare(rates, kind: "rate", label: \.label, price: { ($0.price, $0.currency) })
    }

    public mutating func compare(numberPrices: [NumberPrice]) {
        compare(numberPrices, kind: "number_price", label: \.label, price: { ($0.monthly, $0.currency) })
    }

    public mutating func compare(servicePrices: [ServicePrice]) {
        compare(servicePrices, kind: "service_price", label: \.label, price: { ($0.price, $0.currency) })
    }

    public mutating func compare(templates: [TemplatePrice]) {
        compare(templates, kind: "template", label: \.name, price: { ($0.monthly, $0.currency) })
    }

    /// Each key's version in force at `instant` as of deck version `from`, beside the one as
    /// of `to`; entries of keys that nothing in (`from`, `to`] touched are passed over.
    mutating func compare<Entry: TimelineEntry>(
        _ entries: [Entry],
        kind: String,
        label: (Entry.Key) -> String,
        price: (Entry.Terms) -> (Amount, CurrencyCode)
    ) {
        let chains = KeyChains(count: entries.count) { entries[$0].key }
        for head in entries.indices where chains.isHead[head] {
            var touched = false
            var versions = 0
            var position = head
            while position >= 0 {
                let version = entries[position].deckVersion
                if version > from, version <= to { touched = true }
                versions += 1
                position = chains.next[position]
            }
            guard touched else { continue }
            let before: Entry?
            let after: Entry?
            if versions == 1 {
                // Most keys of a large import have one version, added by it: no timeline needed.
                let only = entries[head]
                before = nil
                after = only.effectiveFrom <= instant && only.terms != nil ? only : nil
            } else {
                let (from, to) = (from, to)
                let history = chains.chain(from: head).map { entries[$0] }.filter { $0.deckVersion <= to }
                before = Timeline(history.filter { $0.deckVersion <= from }).at(instant)
                after = Timeline(history).at(instant)
            }
            guard let change = Self.change(before?.terms, after?.terms, price: price) else { continue }
            counts[change, default: 0] += 1
            total += 1
            if items.count < limit {
                items.append(Item(kind: kind, key: label(entries[head].key), change: change, old: side(before, price), new: side(after, price)))
            }
        }
    }

    private func side<Entry: TimelineEntry>(_ entry: Entry?, _ price: (Entry.Terms) -> (Amount, CurrencyCode)) -> Side? {
        guard let entry, let terms = entry.terms else { return nil }
        let (amount, currency) = price(terms)
        return Side(price: amount, currency: currency, effectiveFrom: entry.effectiveFrom)
    }

    /// How `old` became `new`; nil when they are the same (or both absent).
    static func change<Terms: Equatable>(_ old: Terms?, _ new: Terms?, price: (Terms) -> (Amount, CurrencyCode)) -> Change? {
        switch (old, new) {
        case (nil, nil): return nil
        case (nil, .some): return .new
        case (.some, nil): return .closed
        case (.some(let old), .some(let new)):
            if old == new { return nil }
            let (oldPrice, oldCurrency) = price(old)
            let (newPrice, newCurrency) = price(new)
            if oldCurrency != newCurrency || oldPrice == newPrice { return .otherTerms }
            return newPrice > oldPrice ? .increased : .decreased
        }
    }
}
