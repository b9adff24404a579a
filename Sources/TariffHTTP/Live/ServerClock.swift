public import TariffCore

/// The clocks a server reads: the wall clock prices are given at, and the steady clock rate
/// limits and caches count in. Tests stop both, so that two servers given the same requests
/// decide alike however slowly the machine runs.
public struct ServerClock: Sendable {
    public var wall: @Sendable () -> Instant
    public var steady: @Sendable () -> ContinuousClock.Instant

    public init(wall: @escaping @Sendable () -> Instant, steady: @escaping @Sendable () -> ContinuousClock.Instant) {
        self.wall = wall
        self.steady = steady
    }

    public static let system = ServerClock(wall: { .now() }, steady: { .now })
}
