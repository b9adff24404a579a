import Synchronization

/// A count advanced whenever the store announces a change (another node, or the command line,
/// created, rotated or revoked a key). Caches note the count before they read and treat what
/// they read under an older count as stale: on PostgreSQL a revoked key is refused by every
/// node as soon as the announcement arrives, not when the entry would have expired.
public final class CacheEpoch: Sendable {
    private let count = Atomic<UInt64>(0)

    public init() {}

    public var current: UInt64 { count.load(ordering: .acquiring) }

    public func advance() { count.add(1, ordering: .releasing) }
}
