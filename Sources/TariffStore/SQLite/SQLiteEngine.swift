import Logging
import NIOPosix
import SQLiteNIO
import Synchronization
import TariffCore

/// One SQLite writer, used by one operation at a time, and a few readers.
///
/// SQLite has one writer per file; a transaction spans several awaited statements, so write
/// operations take turns through `gate` rather than interleaving on the connection. Reads go
/// to connections of their own (WAL lets them read the last commit while a write is under way),
/// so that a long read, a million-row deck being compiled, never holds up a charge.
final class SQLiteEngine: Sendable {
    /// The writer. Transactions and every statement that changes data run here.
    let connection: SQLiteConnection
    let logger: Logger
    private let gate = AsyncGate()
    /// Leases of the writer and the readers.
    let connectionUse: ConnectionUse
    /// Connections that only read; nil for an in-memory database, which is private to its
    /// connection: there the writer reads too.
    private let readers: SQLiteReaderPool?
    /// SQLite must not see a closed handle: later calls fail with `StoreError.closed` instead.
    private let isClosed = Mutex(false)
    /// A thread for each connection. SQLite blocks its thread, and while the file is locked by
    /// another process it sleeps there (the busy timeout): on threads shared with other
    /// connections, two such sleepers could hold every thread while the connection they wait
    /// for has none left to finish on.
    private let threads: NIOThreadPool

    /// How many reads run at once beside the writer.
    static let readerCount = 2

    init(path: String, logger: Logger) async throws {
        self.logger = logger
        connectionUse = ConnectionUse(capacity: path == ":memory:" ? 1 : 1 + Self.readerCount)
        let threads = NIOThreadPool(numberOfThreads: path == ":memory:" ? 1 : 1 + Self.readerCount)
        threads.start()
        self.threads = threads
        do {
            connection = try await SQLiteConnection.open(
                storage: path == ":memory:" ? .memory : .file(path: path),
                threadPool: threads,
                logger: logger,
                on: MultiThreadedEventLoopGroup.singleton.any()
            )
        } catch {
            try? await threads.shutdownGracefully()
            throw error
        }
        // WAL lets a running server read while `tariff import` writes; the timeout makes a
        // second writer wait for the first instead of failing: an import of a million rows holds
        // the write lock for seconds, and a loaded machine stretches that further.
        do {
            _ = try await connection.query("PRAGMA busy_timeout = 120000")
            _ = try await connection.query("PRAGMA journal_mode = WAL")
            _ = try await connection.query("PRAGMA foreign_keys = ON")
            _ = try await connection.query("PRAGMA synchronous = NORMAL")
        } catch {
            // A file that is not a database fails here: the connection must still be closed.
            try? await connection.close()
            try? await threads.shutdownGracefully()
            throw error
        }
        if path == ":memory:" {
            readers = nil
        } else {
            var opened: [SQLiteConnection] = []
            do {
                for _ in 0..<Self.readerCount {
                    let reader = try await SQLiteConnection.open(
                        storage: .file(path: path),
                        threadPool: threads,
                        logger: logger,
                        on: MultiThreadedEventLoopGroup.singleton.any()
                    )
                    opened.append(reader)
                    _ = try await reader.query("PRAGMA busy_timeout = 120000")
                    // A write sent to a reader by mistake fails loudly instead of racing the writer.
                    _ = try await reader.query("PRAGMA query_only = ON")
                }
            } catch {
                for reader in opened { try? await reader.close() }
                try? await connection.close()
                try? await threads.shutdownGracefully()
                throw error
            }
            readers = SQLiteReaderPool(opened)
        }
    }

    func close() async throws {
        await readers?.close()
        try await exclusive { connection in
            isClosed.withLock { $0 = true }
            try await connection.close()
        }
        try await threads.shutdownGracefully()
    }

    /// Runs `body` alone on the writer.
    func exclusive<T: Sendable>(_ body: @Sendable (SQLiteConnection) async throws -> T) async throws -> T {
        connectionUse.asked()
        await gate.acquire()
        connectionUse.got()
        defer { connectionUse.released() }
        do {
            guard !isClosed.withLock({ $0 }) else { throw StoreError.closed }
            let result = try await body(connection)
            await gate.release()
            return result
        } catch {
            await gate.release()
            throw error
        }
    }

    /// Runs one statement that changes data, on the writer.
    func execute(_ sql: String, _ binds: [SQLiteData] = []) async throws {
        try await exclusive { connection in _ = try await connection.query(sql, binds) }
    }

    /// Runs `body` in one transaction: committed if it returns, rolled back if it throws.
    func transaction<T: Sendable>(_ body: @Sendable (SQLiteConnection) async throws -> T) async throws -> T {
        try await exclusive { connection in
            _ = try await connection.query("BEGIN IMMEDIATE")
            do {
                let result = try await body(connection)
                _ = try await connection.query("COMMIT")
                return result
            } catch {
                _ = try? await connection.query("ROLLBACK")
                throw error
            }
        }
    }

    /// Streams the rows of a query through `decode`, without holding SQLite's row objects, on
    /// a reader: it sees what was committed when it started.
    func select<T: Sendable>(_ sql: String, _ binds: [SQLiteData] = [], decode: @escaping @Sendable (SQLiteRow) throws -> T) async throws -> [T] {
        try await withReader { try await $0.collect(sql, binds, decode: decode) }
    }

    /// Runs `body` on a reader of its own (on the writer, for an in-memory database).
    func withReader<T: Sendable>(_ body: @Sendable (SQLiteConnection) async throws -> T) async throws -> T {
        guard let readers else { return try await exclusive(body) }
        connectionUse.asked()
        let reader: SQLiteConnection
        do { reader = try await readers.take() } catch {
            connectionUse.gaveUp()
            throw error
        }
        connectionUse.got()
        defer { connectionUse.released() }
        do {
            let result = try await body(reader)
            await readers.give(reader)
            return result
        } catch {
            await readers.give(reader)
            throw error
        }
    }
}

extension SQLiteEngine {
    /// Runs `body` on one reader inside a read transaction: every statement in it sees the same
    /// commit, however long it runs, while charges go on being written (a copy of the whole
    /// database reads it this way).
    func snapshot<T: Sendable>(_ body: @Sendable (SQLiteConnection) async throws -> T) async throws -> T {
        try await withReader { reader in
            _ = try await reader.query("BEGIN")
            do {
                let result = try await body(reader)
                _ = try await reader.query("COMMIT")
                return result
            } catch {
                _ = try? await reader.query("ROLLBACK")
                throw error
            }
        }
    }
}

/// The readers not in use, and the reads waiting for one.
actor SQLiteReaderPool {
    private var idle: [SQLiteConnection]
    private var waiting: [CheckedContinuation<SQLiteConnection?, Never>] = []
    private var isClosed = false

    init(_ connections: [SQLiteConnection]) { idle = connections }

    func take() async throws -> SQLiteConnection {
        guard !isClosed else { throw StoreError.closed }
        if let connection = idle.popLast() { return connection }
        guard let connection = await withCheckedContinuation({ waiting.append($0) }) else { throw StoreError.closed }
        return connection
    }

    func give(_ connection: SQLiteConnection) async {
        if isClosed {
            try? await connection.close()
        } else if waiting.isEmpty {
            idle.append(connection)
        } else {
            waiting.removeFirst().resume(returning: connection)
        }
    }

    /// Closes the idle readers now and each busy one when its read ends; later reads fail.
    func close() async {
        isClosed = true
        for waiter in waiting { waiter.resume(returning: nil) }
        waiting = []
        let closing = idle
        idle = []
        for connection in closing { try? await connection.close() }
    }
}

extension SQLiteConnection {
    /// The rows of `sql` through `decode`, without holding SQLite's row objects.
    func collect<T: Sendable>(_ sql: String, _ binds: [SQLiteData], decode: @escaping @Sendable (SQLiteRow) throws -> T) async throws -> [T] {
        let sink = Mutex<(rows: [T], error: (any Error)?)>(([], nil))
        try await query(sql, binds) { row in
            sink.withLock { state in
                guard state.error == nil else { return }
                do { state.rows.append(try decode(row)) } catch { state.error = error }
            }
        }
        return try sink.withLock { state in
            if let error = state.error { throw error }
            return state.rows
        }
    }

    /// The rows of `sql`, which ends in `IN`, for each of `values`: a few hundred values a
    /// statement, far below SQLite's limit on bound values. `binds` are bound before them.
    func rows(_ sql: String, in values: [SQLiteData], after binds: [SQLiteData] = []) async throws -> [SQLiteRow] {
        var rows: [SQLiteRow] = []
        for start in stride(from: 0, to: values.count, by: 500) {
            let slice = values[start..<min(values.count, start + 500)]
            let marks = Array(repeating: "?", count: slice.count).joined(separator: ", ")
            rows += try await query(sql + " (\(marks))", binds + slice)
        }
        return rows
    }

    /// Inserts many rows with as few statements as SQLite's bind limit allows.
    func insert(into table: String, columns: [String], rows: [[SQLiteData]]) async throws {
        try await insert(into: table, columns: columns, count: rows.count) { index, binds in binds.append(contentsOf: rows[index]) }
    }

    /// Inserts `count` rows whose values `row` appends, batch by batch: the next batch's values
    /// are built while SQLite (on its thread pool) stores the previous one, and only two
    /// batches exist at a time.
    func insert(
        into table: String,
        columns: [String],
        count: Int,
        row: @escaping @Sendable (Int, inout [SQLiteData]) -> Void
    ) async throws {
        guard count > 0 else { return }
        let rowsPerStatement = max(1, 30_000 / columns.count)
        let head = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
        let tuple = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        let fullSQL = head + Array(repeating: tuple, count: rowsPerStatement).joined(separator: ", ")
        var pending: Task<Void, any Error>?
        var start = 0
        while start < count {
            let end = min(count, start + rowsPerStatement)
            var binds: [SQLiteData] = []
            binds.reserveCapacity((end - start) * columns.count)
            for index in start..<end { row(index, &binds) }
            let sql = end - start == rowsPerStatement ? fullSQL : head + Array(repeating: tuple, count: end - start).joined(separator: ", ")
            try await pending?.value
            let batch = binds
            pending = Task { _ = try await self.query(sql, batch) }
            start = end
        }
        try await pending?.value
    }
}

/// A first-come, first-served lock for async code (no thread is blocked while waiting).
actor AsyncGate {
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func acquire() async {
        guard busy else {
            busy = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    func release() {
        if waiters.isEmpty { busy = false } else { waiters.removeFirst().resume() }
    }
}

// MARK: Reading values

extension SQLiteRow {
    func text(_ column: String) throws -> String {
        guard let value = self.column(column)?.string else { throw StoreError.corrupt("\(column) is not text") }
        return value
    }

    func optionalText(_ column: String) -> String? {
        guard let data = self.column(column), !data.isNull else { return nil }
        return data.string
    }

    func int(_ column: String) throws -> Int64 {
        guard let value = self.column(column)?.integer else { throw StoreError.corrupt("\(column) is not an integer") }
        return Int64(value)
    }

    func optionalInt(_ column: String) -> Int64? {
        guard let data = self.column(column), !data.isNull, let value = data.integer else { return nil }
        return Int64(value)
    }
}

extension SQLiteData {
    static func optional(_ text: String?) -> SQLiteData { text.map { .text($0) } ?? .null }
    static func optional(_ value: Int64?) -> SQLiteData { value.map { .integer(SQLiteInt64($0)) } ?? .null }
    static func int(_ value: Int64) -> SQLiteData { .integer(SQLiteInt64(value)) }
    static func int(_ value: Int) -> SQLiteData { .integer(SQLiteInt64(value)) }
}
