import Synchronization

/// Token buckets per API key and route group: `requests` per `per`, refilled continuously.
/// Over the limit, the caller learns how long to wait.
final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    private let limits: RateLimits
    private let buckets = Mutex<[String: Bucket]>([:])
    /// Tests stop it, so that two servers given the same requests spend and refill alike.
    private let clock: @Sendable () -> ContinuousClock.Instant

    init(_ limits: RateLimits, now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }) {
        self.limits = limits
        clock = now
    }

    /// Nil when the request may go ahead; otherwise the whole seconds to wait.
    func admit(key: String, group: RateLimits.Group) -> Int? { admit(key: key, group: group, now: clock()) }

    func admit(key: String, group: RateLimits.Group, now: ContinuousClock.Instant) -> Int? {
        guard let limit = limits.limits[group] else { return nil }
        let capacity = Double(limit.requests)
        let perSecond = capacity / limit.per.seconds
        return buckets.withLock { buckets in
            let id = group.rawValue + "|" + key
            var bucket = buckets[id] ?? Bucket(tokens: capacity, updated: now)
            bucket.tokens = min(capacity, bucket.tokens + (now - bucket.updated).seconds * perSecond)
            bucket.updated = now
            defer {
                // Forget idle keys so that the table does not grow without bound.
                if buckets.count > 100_000 { buckets.removeAll() }
                buckets[id] = bucket
            }
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                return nil
            }
            return max(1, Int(((1 - bucket.tokens) / perSecond).rounded(.up)))
        }
    }
}

extension Duration {
    /// Seconds as a floating-point count (for rates of requests, never for money).
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
