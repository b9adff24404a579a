import Dispatch
import Foundation
import Synchronization
import TariffCore
import Testing

@testable import TariffStore

/// Reads run on connections of their own: a long read (a deck being compiled) never holds up
/// a write (a charge), and sees the data as it was when it began.
@Suite("SQLite readers")
struct SQLiteReadersTests {
    @Test("a write completes while a read is under way; the read sees what was committed when it began")
    func readHoldsUpNoWrite() async throws {
        try await withStore(.sqlite) { store, _ in
            let sqlite = try #require(store as? SQLiteStore)
            let (reading, begun) = AsyncStream.makeStream(of: Void.self)
            let written = DispatchSemaphore(value: 0)
            let waitedForWrite = Mutex<Bool?>(nil)
            let read = Task {
                try await sqlite.engine.select("SELECT COUNT(*) AS n FROM operator_tokens") { row in
                    // In the middle of the read: let the test write, and wait for that write to end.
                    // On one shared connection the write would wait for this read instead, and this
                    // wait would end only at its guard.
                    begun.yield()
                    let released = written.wait(timeout: .now() + 600) == .success
                    waitedForWrite.withLock { $0 = released }
                    return try row.int("n")
                }
            }
            var events = reading.makeAsyncIterator()
            _ = await events.next()
            _ = try await store.operatorTokens.create(name: "during the read", now: instant("2026-11-20"))
            written.signal()
            let counted = try await read.value
            #expect(waitedForWrite.withLock { $0 } == true, "the write waited for the read to end")
            #expect(counted == [0], "the read saw a write committed after it began")
            #expect(try await store.operatorTokens.tokens().count == 1)
        }
    }

    @Test("a reader refuses a write: every change goes through the writer")
    func readersOnlyRead() async throws {
        try await withStore(.sqlite) { store, _ in
            let sqlite = try #require(store as? SQLiteStore)
            await #expect(throws: (any Error).self) {
                _ = try await sqlite.engine.select("DELETE FROM operator_tokens") { _ in 0 }
            }
        }
    }
}
