import NIOCore
import PostgresNIO
import Synchronization

/// What a lost connection to PostgreSQL does to an operation: it fails, promptly and as
/// `StoreError.unavailable`, so that the request answers 503 and the client retries (charges
/// are idempotent), and so that nothing waits behind it forever.
///
/// postgres-nio can leave a statement unanswered when its connection drops while the statement
/// is in flight (seen on `pg_ctl restart -m fast` under load): the awaiting task is never resumed.
/// On a node that commits charges one group at a time, that one statement would stop every
/// charge after it. So each operation runs in a task of its own, and the caller waits for
/// whichever comes first: the operation's end, or its connection closing. The closing is the
/// server's evidence, not a timer: a slow statement on a loaded machine is never cut short.
final class ConnectionWatch: Sendable {
    private struct State {
        var next = 0
        /// The operations running on each open connection, by token.
        var watched: [ObjectIdentifier: [Int: @Sendable () -> Void]] = [:]
    }

    private let state = Mutex(State())

    /// Runs `operation` on `connection`; throws `StoreError.unavailable` as soon as the
    /// connection closes, even if the operation never returns.
    func run<T: Sendable>(on connection: PostgresConnection, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        let outcome = FirstOutcome<T>()
        return try await withCheckedThrowingContinuation { continuation in
            outcome.arm(continuation)
            let token = watch(connection) { outcome.resolve(.failure(StoreError.unavailable("the connection to PostgreSQL closed"))) }
            Task {
                let result: Result<T, any Error>
                do { result = .success(try await operation()) } catch { result = .failure(error) }
                if let token { self.unwatch(connection, token) }
                outcome.resolve(result)
            }
        }
    }

    /// Calls `closed` when `connection` closes (at once if it has); returns the token that stops
    /// watching, or nil if `closed` was called already.
    private func watch(_ connection: PostgresConnection, closed: @escaping @Sendable () -> Void) -> Int? {
        let id = ObjectIdentifier(connection)
        let (token, first) = state.withLock { state -> (Int, Bool) in
            state.next += 1
            let first = state.watched[id] == nil
            state.watched[id, default: [:]][state.next] = closed
            return (state.next, first)
        }
        // One callback per connection, not per operation: a connection lives for millions of them.
        if first { connection.closeFuture.whenComplete { _ in self.closed(id) } }
        return token
    }

    private func unwatch(_ connection: PostgresConnection, _ token: Int) {
        state.withLock { state in _ = state.watched[ObjectIdentifier(connection)]?.removeValue(forKey: token) }
    }

    private func closed(_ id: ObjectIdentifier) {
        let waiting = state.withLock { $0.watched.removeValue(forKey: id) } ?? [:]
        for fail in waiting.values { fail() }
    }
}

extension PostgresEngine {
    /// `error` as the store reports it: a lost or refused connection, or a server shutting down,
    /// is `StoreError.unavailable` (answered 503, worth retrying); anything else is itself.
    static func classified(_ error: any Error) -> any Error {
        guard let psql = error as? PSQLError else { return error }
        switch psql.code {
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed:
            return StoreError.unavailable("PostgreSQL is unreachable (\(psql.code))")
        case .server:
            let state = psql.serverInfo?[.sqlState] ?? ""
            // Class 08: connection exceptions; 57P01–57P03: the server shutting down or starting.
            if state.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(state) {
                return StoreError.unavailable("PostgreSQL is restarting or shutting down (\(state))")
            }
            return error
        default:
            return error
        }
    }
}
