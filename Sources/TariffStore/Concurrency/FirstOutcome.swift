import Synchronization

/// A continuation resumed by the first of several outcomes; the later ones are dropped.
public final class FirstOutcome<T: Sendable>: Sendable {
    private let continuation = Mutex<CheckedContinuation<T, any Error>?>(nil)

    public init() {}

    public func arm(_ continuation: CheckedContinuation<T, any Error>) { self.continuation.withLock { $0 = continuation } }

    public func resolve(_ result: Result<T, any Error>) {
        let waiting = continuation.withLock { stored -> CheckedContinuation<T, any Error>? in
            defer { stored = nil }
            return stored
        }
        waiting?.resume(with: result)
    }
}
