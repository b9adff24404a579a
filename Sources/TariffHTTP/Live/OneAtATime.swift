/// Runs the bodies given to it one at a time. For work that is costly and whose result is
/// cached: a burst of callers wanting the same result waits for the first to build it and then
/// finds it cached, instead of each building it at once.
actor OneAtATime {
    func run<T: Sendable>(_ body: @Sendable () throws -> T) throws -> T { try body() }
}
