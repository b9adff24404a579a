import Logging
import SQLiteNIO
import Synchronization
import TariffCore

/// One SQLite connection, used by one operation at a time.
///
/// SQLite has one writer per file; a transaction spans several awaited statements, so
/// operations take turns through `gate` rather than interleaving on the connection.
final class SQLiteEngine: Sendable {
    let connection: SQLiteConnection
    let logger: Logger
    private let gate = AsyncGate()
    /// SQLite must not see a closed handle: later calls fail with `StoreError.closed` instead.
    private let isClosed = Mutex(false)

    init(path: String, logger: Logger) async throws {
        self.logger = logger
        connection = try await SQLiteConnection.open(storage: path == ":memory:" ? .memory : .file(path: path), logger: logger)
        // WAL lets a running server read while `tariff import` writes; the timeout makes a
        // second writer wait for the first instead of failing: an import of a million rows holds
        // the write lock for seconds, and a loaded machine stretches that further.
        _ = try await connection.query("PRAGMA journal_mode = WAL")
        _ = try await connection.query("PRAGMA busy_timeout = 120000")
        _ = try await connection.query("PRAGMA foreign_keys = ON")
        _ = try await connection.query("PRAGMA synchronous = NORMAL")
    }

    func close() async throws {
        try await exclusive { connection in
            isClosed.withLock { $0 = true }
            try await connection.close()
        }
    }

    /// Runs `body` alone on the connection.
    func exclusive<T: Sendable>(_ body: @Sendable (SQLiteConnection) async throws -> T) async throws -> T {
        await gate.acquire()
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

    /// Streams the rows of a query through `decode`, without holding SQLite's row objects.
    func select<T: Sendable>(_ sql: String, _ binds: [SQLiteData] = [], decode: @escaping @Sendable (SQLiteRow) throws -> T) async throws -> [T] {
        try await exclusive { connection in
            let sink = Mutex<(rows: [T], error: (any Error)?)>(([], nil))
            try await connection.query(sql, binds) { row in
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
    }
}

extension SQLiteConnection {
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
