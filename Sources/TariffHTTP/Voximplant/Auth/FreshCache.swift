import Synchronization

/// Values read from the store, kept for a short time so that a request does not wait on the
/// database, while changes made by another process (`tariff account key-revoke`) are seen
/// within `freshFor`. Misses (nil values) are kept too, and the cache never grows past `limit`.
final class FreshCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Entry: Sendable {
        let value: Value
        let readAt: ContinuousClock.Instant
        let epoch: UInt64
    }

    private let entries = Mutex<[Key: Entry]>([:])
    private let freshFor: Duration
    private let limit: Int
    private let clock: @Sendable () -> ContinuousClock.Instant
    /// Entries read before the store's latest announcement are stale, however young.
    private let epoch: CacheEpoch

    init(
        freshFor: Duration,
        limit: Int = 10_000,
        epoch: CacheEpoch = CacheEpoch(),
        now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }
    ) {
        self.freshFor = freshFor
        self.limit = limit
        self.epoch = epoch
        clock = now
    }

    /// The cached value if it is fresh; otherwise what `load` reads, which is then cached.
    /// Two requests that miss together both read: cheaper than making one wait for the other.
    func value(for key: Key, load: () async throws -> Value) async throws -> Value {
        let now = clock()
        let announced = epoch.current
        if let cached = entries.withLock({ $0[key] }), now - cached.readAt < freshFor, cached.epoch == announced { return cached.value }
        let value = try await load()
        entries.withLock { entries in
            if entries.count >= limit {
                // Stale entries go first; if requests for many distinct keys (random key ids,
                // say) fill the cache with fresh ones, it starts again rather than grow.
                entries = entries.filter { now - $0.value.readAt < freshFor }
                if entries.count >= limit { entries.removeAll() }
            }
            entries[key] = Entry(value: value, readAt: now, epoch: announced)
        }
        return value
    }
}
