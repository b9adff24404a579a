import Foundation
import Synchronization
import TariffCore
import Testing

@testable import TariffStore

/// Group commit: concurrent callers share transactions, and each still gets exactly its own
/// outcomes; a failed transaction fails exactly the callers in it.
@Suite("Ledger group commit")
struct LedgerGroupCommitTests {
    /// A ledger that records the batches it is given and holds the first one until released,
    /// so that a test knows callers queued behind it, without waiting on a clock.
    final class HeldLedger: LedgerRepository {
        let batches = Mutex<[[LedgerPosting]]>([])
        let failing: Set<Int>
        let entered = AsyncStream<Void>.makeStream()
        let release = AsyncStream<Void>.makeStream()

        init(failing: Set<Int> = []) { self.failing = failing }

        func post(_ postings: [LedgerPosting], now: Instant) async throws -> [PostingOutcome] {
            let number = batches.withLock { batches in
                batches.append(postings)
                return batches.count
            }
            if number == 1 {
                entered.continuation.yield()
                var waiting = release.stream.makeAsyncIterator()
                _ = await waiting.next()
            }
            if failing.contains(number) { throw StoreError.closed }
            return postings.map { .refused(.unknownAccount($0.accountID)) }
        }

        func balance(accountID: Int64) async throws -> AccountBalance? { nil }
        func setCreditLimit(accountID: Int64, to limit: Amount) async throws -> Bool { false }
        func transactions(_ query: TransactionQuery) async throws -> TransactionPage { TransactionPage(transactions: [], totalCount: 0) }
        func margin(_ query: MarginQuery) async throws -> [MarginLine] { [] }
    }

    static func posting(_ account: Int64) -> LedgerPosting {
        LedgerPosting(accountID: account, type: .cardPayment, amount: Amount(units: 1), performedAt: Instant(secondsSince1970: 0), description: "")
    }

    static func attempt(_ body: () async throws -> [PostingOutcome]) async -> Result<[PostingOutcome], any Error> {
        do { return .success(try await body()) } catch { return .failure(error) }
    }

    /// Starts a caller for each account and returns once all of them are queued behind the held first batch.
    static func queue(
        _ writer: LedgerGroupCommit,
        _ ledger: HeldLedger,
        accounts: [[Int64]]
    ) async -> [Task<Result<[PostingOutcome], any Error>, Never>] {
        let first = Task { await attempt { try await writer.post([posting(0)]) } }
        var entered = ledger.entered.stream.makeAsyncIterator()
        _ = await entered.next()
        var tasks = [first]
        for accountSet in accounts {
            tasks.append(Task { await attempt { try await writer.post(accountSet.map(posting)) } })
        }
        while await writer.queuedPostings < accounts.map(\.count).reduce(0, +) { await Task.yield() }
        ledger.release.continuation.yield()
        return tasks
    }

    @Test("callers that queue during a commit share the next transaction and get their own outcomes back, in order")
    func grouped() async throws {
        let ledger = HeldLedger()
        let writer = LedgerGroupCommit(ledger: ledger, maxPostings: 1000, clock: { Instant(secondsSince1970: 0) })
        let accounts: [[Int64]] = (1...50).map { caller in (0..<(caller % 3 + 1)).map { Int64(caller * 10 + $0) } }
        let tasks = await Self.queue(writer, ledger, accounts: accounts)
        for (task, expected) in zip(tasks, [[0]] + accounts) {
            let outcomes = try await task.value.get()
            #expect(outcomes == expected.map { .refused(.unknownAccount($0)) })
        }
        #expect(ledger.batches.withLock { $0.count } == 2)
        #expect(await writer.commits == 2)
        #expect(await writer.postingsCommitted == 1 + accounts.map(\.count).reduce(0, +))
    }

    @Test("no transaction carries more than the limit; a caller's postings are never split")
    func bounded() async throws {
        let ledger = HeldLedger()
        let writer = LedgerGroupCommit(ledger: ledger, maxPostings: 5, clock: { Instant(secondsSince1970: 0) })
        let accounts: [[Int64]] = [[1, 2, 3], [4, 5, 6], [7], [8, 9, 10, 11, 12, 13, 14]]
        for task in await Self.queue(writer, ledger, accounts: accounts) { _ = try await task.value.get() }
        let sizes = ledger.batches.withLock { $0.map(\.count) }
        #expect(sizes == [1, 3, 4, 7])
    }

    @Test("a failed commit fails every caller in it, and only them")
    func failure() async throws {
        let ledger = HeldLedger(failing: [2])
        let writer = LedgerGroupCommit(ledger: ledger, maxPostings: 2, clock: { Instant(secondsSince1970: 0) })
        let tasks = await Self.queue(writer, ledger, accounts: [[1], [2], [3]])
        var failed: [Bool] = []
        for task in tasks {
            if case .failure = await task.value { failed.append(true) } else { failed.append(false) }
        }
        #expect(failed == [false, true, true, false])
    }

    @Test("through SQLite: many concurrent callers, every posting applied once, Σ = balance")
    func sqlite() async throws {
        try await withStore(.sqlite) { store, _ in
            let ana = try await StoreContractTests.newAccount(store, "ana", key: "k1")
            let writer = LedgerGroupCommit(ledger: store.ledger, clock: { Instant(secondsSince1970: 1_790_000_000) })
            _ = try await writer.post([StoreContractTests.posting(ana, .cardPayment, "1000")])
            let statuses = try await withThrowingTaskGroup(of: [PostingOutcome].self) { group in
                for caller in 0..<200 {
                    group.addTask {
                        try await writer.post([
                            StoreContractTests.posting(ana, .resourceCharge, "-1", reference: "r\(caller % 120)", fingerprint: "f"),
                            StoreContractTests.posting(ana, .resourceCharge, "-0.5", reference: "s\(caller)", fingerprint: "f"),
                        ])
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(statuses.count == 400)
            #expect(statuses.filter { if case .posted = $0 { true } else { false } }.count == 320)
            #expect(try await store.ledger.balance(accountID: ana.id)?.balance == LedgerTotal(amount("780")))
            #expect(await writer.commits < 201)
            try await StoreContractTests.expectLedgerBalances(store, ana)
        }
    }
}
