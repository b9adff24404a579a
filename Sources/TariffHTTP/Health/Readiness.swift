import TariffCore
import TariffStore

/// What `GET /ready` checks: the database answers, its schema is this build's, and a rate book
/// with prices is loaded. A load balancer sends traffic only to a node that passes.
struct Readiness: Sendable {
    /// How long the database may take to answer before the node counts as not ready: a
    /// readiness probe must answer even while PostgreSQL is down, when a query would wait for
    /// a connection until it is back.
    static let databaseDeadline: Duration = .seconds(2)

    let ready: Bool
    let problems: [String]
    let schemaVersion: Int?

    static func check(_ state: LiveState, deadline: Duration = databaseDeadline) async -> Readiness {
        var problems: [String] = []
        let store = state.store
        let version = await answer(within: deadline) { try await store.schemaVersion() }
        switch version {
        case .success(let found) where found == store.knownSchemaVersion:
            break
        case .success(let found):
            problems.append("the database's schema is version \(found), this tariff's is \(store.knownSchemaVersion): run tariff migrate")
        case .failure(let error as StoreError) where error.isUnavailable:
            problems.append("the database is unavailable")
        case .failure(is DeadlineExceeded):
            problems.append("the database did not answer within \(deadline)")
        case .failure:
            problems.append("the database answered with an error")
        }
        if state.book.version == 0 { problems.append("no deck is loaded: import one") }
        return Readiness(ready: problems.isEmpty, problems: problems, schemaVersion: try? version.get())
    }

    struct DeadlineExceeded: Error {}

    /// `operation`'s outcome, or `DeadlineExceeded` once `deadline` has passed; the operation is
    /// left to finish on its own (a query waiting for a connection cannot be called back).
    static func answer<T: Sendable>(within deadline: Duration, _ operation: @escaping @Sendable () async throws -> T) async -> Result<T, any Error> {
        let outcome = FirstOutcome<T>()
        do {
            return .success(
                try await withCheckedThrowingContinuation { continuation in
                    outcome.arm(continuation)
                    Task {
                        do { outcome.resolve(.success(try await operation())) } catch { outcome.resolve(.failure(error)) }
                    }
                    Task {
                        try? await Task.sleep(for: deadline)
                        outcome.resolve(.failure(DeadlineExceeded()))
                    }
                }
            )
        } catch {
            return .failure(error)
        }
    }
}
