import PostgresNIO
import Testing

@testable import TariffStore

/// A connection lost under an operation fails that operation as `unavailable`, promptly, even
/// when the statement in flight is never answered (postgres-nio can leave it so on a restart).
@Suite(.enabled(if: StoreEngine.postgresURL != nil, "PostgreSQL only: TARIFF_TEST_POSTGRES is not set"))
struct PostgresOutageTests {
    @Test("an operation whose connection the server closes fails as unavailable, though it never returns")
    func lostConnectionFailsTheOperation() async throws {
        let engine = try await PostgresEngine(address: try StoreEngine.postgresAddress(), logger: ImportFixture.logger)
        // The operation waits on this stream, as on a statement whose answer never comes.
        let (release, releaser) = AsyncStream.makeStream(of: Void.self)
        let (backends, announce) = AsyncStream.makeStream(of: Int64.self)
        let logger = ImportFixture.logger
        let operation = Task {
            try await engine.guarded { connection -> Int in
                for try await row in try await connection.query("SELECT pg_backend_pid()::bigint AS pid", logger: logger) {
                    announce.yield(try row.decode(Int64.self))
                }
                for await _ in release {}
                return 0
            }
        }
        var pids = backends.makeAsyncIterator()
        let pid = try #require(await pids.next())
        // Another connection ends that backend, as a server restart does.
        try await engine.execute("SELECT pg_terminate_backend(CAST(? AS integer))", [.int(pid)])
        await #expect {
            _ = try await operation.value
        } throws: { error in
            (error as? StoreError)?.isUnavailable == true
        }
        releaser.finish()
        // The pool goes on with a new connection.
        #expect(try await engine.select("SELECT 1::bigint AS one") { try $0.int("one") } == [1])
        await engine.close()
    }
}
