/// A dated version of something priced: rates and subscription prices.
public protocol TimelineEntry: Sendable {
    associatedtype Key: Hashable & Sendable & Comparable
    associatedtype Terms: Hashable & Sendable
    var key: Key { get }
    var effectiveFrom: Instant { get }
    /// Nil for a version that closes the price.
    var terms: Terms? { get }
    var deckVersion: Int64 { get set }
    func closing(at instant: Instant) -> Self
    func moved(to instant: Instant) -> Self
}

/// The versions of one key in effective order; answers "what applies at instant T".
public struct Timeline<Entry: TimelineEntry>: Sendable {
    /// Sorted by effective date, then deck version: the last entry not after T applies.
    public private(set) var entries: [Entry]

    public init(_ entries: [Entry]) {
        self.entries = entries.sorted { ($0.effectiveFrom, $0.deckVersion) < ($1.effectiveFrom, $1.deckVersion) }
    }

    /// The version in force at `instant`, or nil if none is (not yet priced, or closed).
    public func at(_ instant: Instant) -> Entry? {
        var low = 0
        var high = entries.count
        while low < high {
            let mid = (low + high) / 2
            if entries[mid].effectiveFrom <= instant { low = mid + 1 } else { high = mid }
        }
        guard low > 0 else { return nil }
        let entry = entries[low - 1]
        return entry.terms == nil ? nil : entry
    }

    mutating func append(_ entry: Entry) {
        entries.append(entry)
        entries.sort { ($0.effectiveFrom, $0.deckVersion) < ($1.effectiveFrom, $1.deckVersion) }
    }
}
