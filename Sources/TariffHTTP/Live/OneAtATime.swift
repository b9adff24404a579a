import TariffCore

/// Runs the bodies given to it one at a time. For work that is costly and whose result is
/// cached: a burst of callers wanting the same result waits for the first to build it and then
/// finds it cached, instead of each building it at once.
actor OneAtATime {
    func run<T: Sendable>(_ body: @Sendable () throws -> T) throws -> T { try body() }
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
