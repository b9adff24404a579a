/// What an import changes, counted per priced key against the prices in force now.
public struct ChangeSummary: Sendable, Hashable, Codable {
    public var new = 0
    public var increased = 0
    public var decreased = 0
    public var unchanged = 0
    public var closed = 0
    /// Same price, other terms changed (currency, increment, connect fee, description, resource).
    public var otherTerms = 0
    /// Versions that start after the import time (scheduled changes).
    public var scheduled = 0
    /// Every price the import raises, counted by the day (UTC, `2026-12-08`) the rise takes
    /// effect: what customers must be told, and by when. Nil when it raises none.
    public var increasesByDate: [String: Int]?

    public init() {}

    /// Both summaries' counts added: a file that changes two kinds of price.
    public mutating func add(_ other: ChangeSummary) {
        new += other.new
        increased += other.increased
        decreased += other.decreased
        unchanged += other.unchanged
        closed += other.closed
        otherTerms += other.otherTerms
        scheduled += other.scheduled
        if let more = other.increasesByDate { increasesByDate = (increasesByDate ?? [:]).merging(more, uniquingKeysWith: +) }
    }

    public var description: String {
        var parts = ["new \(new)", "increased \(increased)", "decreased \(decreased)", "unchanged \(unchanged)", "closed \(closed)"]
        if otherTerms > 0 { parts.append("other terms changed \(otherTerms)") }
        if scheduled > 0 { parts.append("scheduled \(scheduled)") }
        if let increasesByDate, !increasesByDate.isEmpty {
            parts.append("rises on " + increasesByDate.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value))" }.joined(separator: ", "))
        }
        return parts.joined(separator: ", ")
    }
}

/// The versions an import appends (with a placeholder deck version that the store replaces),
/// and its summary.
public struct DeckPlan<Entry: TimelineEntry>: Sendable {
    public var additions: [Entry]
    public var summary: ChangeSummary
    /// The price rises among `additions`, in the order planned.
    public var increases: [PriceIncrease] = []
}

/// A version that raises a price: from `old` (in force just before) to `new`, from
/// `effectiveFrom`. `row` is the position of the file's row that asked for it.
public struct PriceIncrease: Sendable {
    public let effectiveFrom: Instant
    public let old: Amount
    public let new: Amount
    public let currency: CurrencyCode
    public let row: Int

    /// Whether it takes effect less than `days` days after `now` (or before it).
    public func isShortNotice(days: Int, now: Instant) -> Bool {
        effectiveFrom.secondsSince1970 < now.secondsSince1970 + Int64(days) * 86_400
    }
}

/// Turns a validated file into the versions to append, so that from each key's first new row
/// on, prices follow the file exactly: a newer deck wins from its effective dates on, over
/// earlier decks' scheduled versions too. Nothing is ever rewritten: closing a price or
/// cancelling an old scheduled change is a new version.
public enum DeckPlanner {
    /// Deck version given to planned versions until the store assigns the real one; higher
    /// than any stored version, so that planning sees them win ties.
    public static let pendingVersion = Int64.max

    /// - Parameters:
    ///   - existing: every stored version of the keys concerned (others are ignored).
    ///   - incoming: the file's rows; a row whose terms are nil closes its key from its date.
    ///   - completeScope: for a complete list, which keys the file speaks for: those it omits
    ///     are closed at `closeAt`. Nil for a partial import.
    ///   - priceOf: the price to compare terms by, for increased / decreased.
    public static func plan<Entry: TimelineEntry>(
        existing: [Entry],
        incoming: [Entry],
        completeScope: ((Entry.Key) -> Bool)?,
        closeAt: Instant,
        now: Instant,
        priceOf: (Entry.Terms) -> (Amount, CurrencyCode)
    ) -> DeckPlan<Entry> {
        plan(
            existing: existing,
            count: incoming.count,
            at: { incoming[$0] },
            completeScope: completeScope,
            closeAt: closeAt,
            now: now,
            priceOf: priceOf
        )
    }

    /// The same, reading the file's rows in place (a large deck is not copied).
    public static func plan<Entry: TimelineEntry>(
        existing: [Entry],
        rows: [DeckRow<Entry>],
        completeScope: ((Entry.Key) -> Bool)?,
        closeAt: Instant,
        now: Instant,
        priceOf: (Entry.Terms) -> (Amount, CurrencyCode)
    ) -> DeckPlan<Entry> {
        plan(
            existing: existing,
            count: rows.count,
            at: { rows[$0].entry },
            completeScope: completeScope,
            closeAt: closeAt,
            now: now,
            priceOf: priceOf
        )
    }

    /// Rates, planned with code specialised here (a generic call from another module would
    /// run unspecialised, which costs seconds on a million rows).
    public static func planRates(
        existing: [Rate],
        rows: [DeckRow<Rate>],
        completeScope: ((RateKey) -> Bool)?,
        closeAt: Instant,
        now: Instant
    ) -> DeckPlan<Rate> {
        plan(
            existing: existing,
            count: rows.count,
            at: { rows[$0].entry },
            completeScope: completeScope,
            closeAt: closeAt,
            now: now,
            priceOf: { ($0.price, $0.currency) }
        )
    }

    /// Subscription prices, compared by their monthly fee.
    public static func planNumberPrices(
        existing: [NumberPrice],
        rows: [DeckRow<NumberPrice>],
        completeScope: ((NumberPriceKey) -> Bool)?,
        closeAt: Instant,
        now: Instant
    ) -> DeckPlan<NumberPrice> {
        plan(
            existing: existing,
            count: rows.count,
            at: { rows[$0].entry },
            completeScope: completeScope,
            closeAt: closeAt,
            now: now,
            priceOf: { ($0.monthly, $0.currency) }
        )
    }

    /// Metered service prices, compared by their price per `per` units.
    public static func planServicePrices(
        existing: [ServicePrice],
        rows: [DeckRow<ServicePrice>],
        completeScope: ((ServicePriceKey) -> Bool)?,
        closeAt: Instant,
        now: Instant
    ) -> DeckPlan<ServicePrice> {
        plan(
            existing: existing,
            count: rows.count,
            at: { rows[$0].entry },
            completeScope: completeScope,
            closeAt: closeAt,
            now: now,
            priceOf: { ($0.price, $0.currency) }
        )
    }

    /// Subscription templates, compared by their monthly fee.
    public static func planTemplatePrices(
        existing: [TemplatePrice],
        rows: [DeckRow<TemplatePrice>],
        completeScope: ((TemplateKey) -> Bool)?,
        closeAt: Instant,
        now: Instant
    ) -> DeckPlan<TemplatePrice> {
        plan(
            existing: existing,
            count: rows.count,
            at: { rows[$0].entry },
            completeScope: completeScope,
            closeAt: closeAt,
            now: now,
            priceOf: { ($0.monthly, $0.currency) }
        )
    }

    static func plan<Entry: TimelineEntry>(
        existing: [Entry],
        count: Int,
        at incoming: (Int) -> Entry,
        completeScope: ((Entry.Key) -> Bool)?,
        closeAt: Instant,
        now: Instant,
        priceOf: (Entry.Terms) -> (Amount, CurrencyCode)
    ) -> DeckPlan<Entry> {
        let stored = KeyChains(count: existing.count) { existing[$0].key }
        let given = KeyChains(count: count) { incoming($0).key }
        var additions: [Entry] = []
        additions.reserveCapacity(count)
        var summary = ChangeSummary()
        var increases: [PriceIncrease] = []

        func process(_ key: Entry.Key, storedHead: Int?, givenHead: Int?) {
            // The usual case of a first import: one row for a key with no history.
            if storedHead == nil, let head = givenHead, given.next[head] < 0 {
                var version = incoming(head)
                guard version.terms != nil else { return }
                version.deckVersion = pendingVersion
                additions.append(version)
                summary.new += 1
                return
            }
            let history = stored.chain(from: storedHead).map { existing[$0] }
            var timeline = Timeline(history)
            let current = timeline.at(now)?.terms
            let futureStored = timeline.entries.contains { $0.effectiveFrom > now && $0.terms != nil }
            // The file's statement for this key as a step function of time (with each row's
            // position in the file; -1 for a closing no row asked for).
            let rows: [Entry]
            let positions: [Int]
            if givenHead != nil {
                let chain = given.chain(from: givenHead).map { ($0, incoming($0)) }.sorted { $0.1.effectiveFrom < $1.1.effectiveFrom }
                rows = chain.map(\.1)
                positions = chain.map(\.0)
            } else {
                guard current != nil || futureStored, let last = history.last else { return }  // nothing to close
                rows = [last.closing(at: closeAt)]
                positions = [-1]
            }
            let start = rows[0].effectiveFrom
            var breakpoints = Set(rows.map(\.effectiveFrom))
            for entry in timeline.entries where entry.effectiveFrom > start { breakpoints.insert(entry.effectiveFrom) }
            var rowIndex = 0
            for instant in breakpoints.sorted() {
                while rowIndex + 1 < rows.count, rows[rowIndex + 1].effectiveFrom <= instant { rowIndex += 1 }
                let desired = rows[rowIndex]
                let actual = timeline.at(instant)
                guard desired.terms != actual?.terms else { continue }
                var version = desired.terms == nil ? desired.closing(at: instant) : desired.moved(to: instant)
                version.deckVersion = pendingVersion
                if let after = desired.terms, let before = actual?.terms {
                    let (old, oldCurrency) = priceOf(before)
                    let (new, newCurrency) = priceOf(after)
                    if oldCurrency == newCurrency, new > old {
                        increases.append(PriceIncrease(effectiveFrom: instant, old: old, new: new, currency: newCurrency, row: positions[rowIndex]))
                    }
                }
                additions.append(version)
                timeline.append(version)
            }

            // Count the key once: the file's final word against today's price.
            let final = rows.last!.terms
            switch (current, final) {
            case (nil, nil): if futureStored { summary.closed += 1 }
            case (_?, nil): summary.closed += 1
            case (nil, _?): summary.new += 1
            case (let now?, let next?):
                let (before, beforeCurrency) = priceOf(now)
                let (after, afterCurrency) = priceOf(next)
                if beforeCurrency != afterCurrency {
                    summary.otherTerms += 1
                } else if after > before {
                    summary.increased += 1
                } else if after < before {
                    summary.decreased += 1
                } else if now == next {
                    summary.unchanged += 1
                } else {
                    summary.otherTerms += 1
                }
            }
        }

        for head in 0..<count where given.isHead[head] {
            let key = incoming(head).key
            process(key, storedHead: stored.head(of: key), givenHead: head)
        }
        if let completeScope {
            for head in 0..<existing.count where stored.isHead[head] {
                let key = existing[head].key
                if given.head(of: key) == nil, completeScope(key) { process(key, storedHead: head, givenHead: nil) }
            }
        }
        summary.scheduled = additions.filter { $0.effectiveFrom > now }.count
        if !increases.isEmpty {
            // Counted by day number, then each day written once: a million rises are not a million dates to format.
            var byDay: [Int64: Int] = [:]
            for increase in increases { byDay[Self.day(of: increase.effectiveFrom), default: 0] += 1 }
            summary.increasesByDate = Dictionary(
                uniqueKeysWithValues: byDay.map { (String(Instant(secondsSince1970: $0.key * 86_400).iso8601.prefix(10)), $0.value) }
            )
        }
        return DeckPlan(additions: additions, summary: summary, increases: increases)
    }

    /// Days since 1970 (UTC) of `instant`, rounded down, before 1970 too.
    static func day(of instant: Instant) -> Int64 {
        let seconds = instant.secondsSince1970
        return seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
    }

    /// Checks a carrier deck's change flags against the prices in force now: a row flagged
    /// Decrease whose rate is higher than today's is reported, not silently accepted.
    public static func checkFlags(_ rows: [DeckRow<Rate>], current: (RateKey) -> RateTerms?, file: String) -> [ImportProblem] {
        var problems: [ImportProblem] = []
        for row in rows {
            guard let flag = row.flag, let terms = row.entry.terms else { continue }
            let now = current(row.entry.key)
            let price = terms.price.plainText
            func report(_ message: String) {
                problems.append(ImportProblem(file: file, line: row.line, column: "change", message: message))
            }
            switch flag {
            case .new:
                if let now {
                    report("flagged New but \(row.entry.key.prefix ?? "this code") is priced today at \(now.price.plainText) \(now.currency)")
                }
            case .increase, .decrease, .unchanged:
                guard let now, now.currency == terms.currency else { continue }
                if flag == .increase, terms.price <= now.price {
                    report("flagged Increase but \(price) is not higher than today's \(now.price.plainText)")
                } else if flag == .decrease, terms.price >= now.price {
                    report("flagged Decrease but \(price) is not lower than today's \(now.price.plainText)")
                } else if flag == .unchanged, terms.price != now.price {
                    report("flagged Unchanged but \(price) differs from today's \(now.price.plainText)")
                }
            case .closed:
                continue
            }
        }
        return problems
    }
}

/// The positions of each key's entries in an array, as chains of indexes: grouping a million
/// rows this way costs one dictionary entry per key and no array per key.
struct KeyChains<Key: Hashable> {
    private var first: [Key: Int]
    /// The next position with the same key, or -1.
    private(set) var next: [Int]
    /// Whether a position is its key's first.
    private(set) var isHead: [Bool]

    init(count: Int, key: (Int) -> Key) {
        first = [:]
        first.reserveCapacity(count)
        next = Array(repeating: -1, count: count)
        isHead = Array(repeating: false, count: count)
        // Backwards, so that each chain runs in the array's order.
        for index in stride(from: count - 1, through: 0, by: -1) {
            if let later = first.updateValue(index, forKey: key(index)) { next[index] = later }
        }
        for head in first.values { isHead[head] = true }
    }

    func head(of key: Key) -> Int? { first[key] }

    func chain(from head: Int?) -> [Int] {
        var result: [Int] = []
        var position = head ?? -1
        while position >= 0 {
            result.append(position)
            position = next[position]
        }
        return result
    }
}
