import Synchronization

/// How busy an engine's connections are, for the operator's metrics: how many operations hold
/// a connection now, how many wait for one, and how many connections there can be. The engine
/// marks each lease's steps; each is one relaxed atomic add.
public final class ConnectionUse: Sendable {
    /// A reading at one instant.
    public struct Reading: Sendable, Hashable {
        public let inUse: Int
        public let waiting: Int
        public let capacity: Int
    }

    public let capacity: Int
    private let inUse = Atomic<Int>(0)
    private let waiting = Atomic<Int>(0)

    public init(capacity: Int) { self.capacity = capacity }

    public var reading: Reading {
        Reading(inUse: inUse.load(ordering: .relaxed), waiting: waiting.load(ordering: .relaxed), capacity: capacity)
    }

    /// An operation asks for a connection.
    func asked() { waiting.add(1, ordering: .relaxed) }

    /// It got one.
    func got() {
        waiting.subtract(1, ordering: .relaxed)
        inUse.add(1, ordering: .relaxed)
    }

    /// It gave up waiting (the pool failed it).
    func gaveUp() { waiting.subtract(1, ordering: .relaxed) }

    /// It gave its connection back.
    func released() { inUse.subtract(1, ordering: .relaxed) }
}
