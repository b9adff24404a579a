import Synchronization
import TariffCore

/// What is derived from the rate book and exchange rates in force (catalogs with their rendered
/// bodies), kept per key until a new deck version or new rates are published, or a scheduled
/// price change makes it stale. Entries of an older book or rate set are dropped: they are never
/// asked for again.
final class SnapshotCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    /// Identifies what a value was derived from.
    struct Snapshot: Hashable, Sendable {
        let bookVersion: Int64
        let exchangeStamp: String
        /// The price plans' store stamp: a plan's new version or an account's new plan.
        let plansStamp: String
    }

    private struct Entry: Sendable {
        let value: Value
        let validUntil: Instant?
    }

    private let entries = Mutex<(snapshot: Snapshot?, values: [Key: Entry])>((nil, [:]))

    /// The value for `key` derived from `snapshot`, if one is there and has not expired.
    func cachedValue(_ key: Key, of snapshot: Snapshot, now: Instant) -> Value? {
        guard let cached = entries.withLock({ $0.snapshot == snapshot ? $0.values[key] : nil }),
            cached.validUntil.map({ now < $0 }) ?? true
        else { return nil }
        return cached.value
    }

    /// The value for `key` derived from `snapshot`, built (outside the lock) when there is none
    /// or it has expired; `build` says until when its value holds.
    func value(_ key: Key, of snapshot: Snapshot, now: Instant, build: () throws -> (Value, validUntil: Instant?)) throws -> Value {
        if let cached = cachedValue(key, of: snapshot, now: now) { return cached }
        let (value, validUntil) = try build()
        entries.withLock { state in
            if state.snapshot != snapshot { state = (snapshot, [:]) }
            state.values[key] = Entry(value: value, validUntil: validUntil)
        }
        return value
    }
}

extension SnapshotCache {
    /// The value for `key` derived from `snapshot`: the cached one, read without waiting, or
    /// else built through `builds`, one build at a time.
    func value(
        _ key: Key,
        of snapshot: Snapshot,
        now: Instant,
        buildingIn builds: OneAtATime,
        build: @escaping @Sendable () -> (Value, validUntil: Instant?)
    ) async throws -> Value {
        if let cached = cachedValue(key, of: snapshot, now: now) { return cached }
        return try await builds.run { try self.value(key, of: snapshot, now: now, build: build) }
    }
}
