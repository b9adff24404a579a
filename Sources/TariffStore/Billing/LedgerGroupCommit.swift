public import TariffCore

/// Commits the postings of many concurrent callers together: one database transaction for
/// all that arrived while the previous one was being committed (group commit).
///
/// A charge per transaction is bounded by the database's commit cost; here a lone caller is
/// committed at once (no timer, no added latency), and under load each commit carries every
/// caller that queued behind it. Each caller still gets its own outcomes, in its own order,
/// and a failed commit fails every caller in it: nothing of theirs was applied, as the
/// transaction was rolled back whole.
public actor LedgerGroupCommit {
    private let ledger: any LedgerRepository
    private let clock: @Sendable () -> Instant
    /// How many postings one transaction carries at most: large enough to amortise the
    /// commit, small enough that one transaction does not hold the write lock for long.
    private let maxPostings: Int

    private struct Waiting {
        let postings: [LedgerPosting]
        let continuation: CheckedContinuation<[PostingOutcome], any Error>
    }
    private var queue: [Waiting] = []
    private var committing = false

    /// The number of transactions committed and the postings they carried, for the metrics
    /// and for tests that prove postings were grouped.
    public private(set) var commits = 0
    public private(set) var postingsCommitted = 0
    /// The postings waiting for the next transaction.
    public var queuedPostings: Int { queue.reduce(0) { $0 + $1.postings.count } }

    /// Told what each committed transaction wrote (the server's metrics count it).
    private let onCommit: (@Sendable ([PostingOutcome]) -> Void)?

    public init(
        ledger: any LedgerRepository,
        maxPostings: Int = 2000,
        clock: @escaping @Sendable () -> Instant,
        onCommit: (@Sendable ([PostingOutcome]) -> Void)? = nil
    ) {
        self.ledger = ledger
        self.maxPostings = max(1, maxPostings)
        self.clock = clock
        self.onCommit = onCommit
    }

    /// Records `postings` in order, as `LedgerRepository.post` does, in a transaction that
    /// may also carry other callers' postings. Returns once that transaction is committed.
    public func post(_ postings: [LedgerPosting]) async throws -> [PostingOutcome] {
        guard !postings.isEmpty else { return [] }
        return try await withCheckedThrowingContinuation { continuation in
            queue.append(Waiting(postings: postings, continuation: continuation))
            if !committing {
                committing = true
                Task { await self.drain() }
            }
        }
    }

    /// Commits what is queued, group by group, until nothing is left. Callers that arrive
    /// while a group commits join the next one (the actor is free while the store works).
    private func drain() async {
        while !queue.isEmpty {
            var taken = 0
            var count = 0
            while taken < queue.count, taken == 0 || count + queue[taken].postings.count <= maxPostings {
                count += queue[taken].postings.count
                taken += 1
            }
            let group = Array(queue.prefix(taken))
            queue.removeFirst(taken)
            do {
                let outcomes = try await ledger.post(group.flatMap(\.postings), now: clock())
                guard outcomes.count == count else { throw StoreError.corrupt("the ledger answered \(outcomes.count) of \(count) postings") }
                commits += 1
                postingsCommitted += count
                onCommit?(outcomes)
                var start = 0
                for waiting in group {
                    waiting.continuation.resume(returning: Array(outcomes[start..<start + waiting.postings.count]))
                    start += waiting.postings.count
                }
            } catch {
                for waiting in group { waiting.continuation.resume(throwing: error) }
            }
        }
        committing = false
    }
}
