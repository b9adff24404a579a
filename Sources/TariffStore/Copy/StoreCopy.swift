import Foundation
public import Logging
import NIOCore
import PostgresNIO
import SQLiteNIO

/// What `tariff copy` moved, table by table, and what it verified.
public struct CopyReport: Sendable {
    public struct Table: Sendable {
        public let name: String
        public let rows: Int
        public let seconds: Double
    }

    public let tables: [Table]
    /// Accounts whose ledger was summed on the target and found equal to their balance.
    public let balancedAccounts: Int
}

/// Moves an embedded install onto PostgreSQL: every table of the SQLite file, as one snapshot,
/// into an empty PostgreSQL database, as one transaction.
///
/// The source is read in a single read transaction, so charges written to it meanwhile (a
/// server still running) are either wholly in the copy or wholly not. The target is written in
/// one transaction behind an advisory lock: two copies at once cannot both fill it, and a copy
/// that fails anywhere, the checks at the end included, leaves it as it was. Rows go through
/// `COPY … FROM STDIN`, which PostgreSQL takes several times faster than INSERTs.
public enum StoreCopy {
    /// Held for the copy's transaction: a second copy into the same database waits for it, then
    /// finds the target filled and refuses.
    static let lockKey: Int64 = 7_265_617_247
    /// Rows read from SQLite and sent to PostgreSQL at a time.
    static let pageRows = 20_000

    public static func copy(
        from path: String,
        to address: PostgresAddress,
        logger: Logger,
        progress: @escaping @Sendable (CopyReport.Table) -> Void = { _ in }
    ) async throws -> CopyReport {
        guard path != ":memory:", FileManager.default.fileExists(atPath: path) else { throw CopyFailure.sourceMissing(path) }
        let source = try await SQLiteStore(path: path, logger: logger)
        let target: PostgresStore
        do {
            target = try await PostgresStore(address: address, logger: logger)
        } catch {
            try? await source.close()
            throw error
        }
        do {
            let report = try await copy(from: source, to: target, logger: logger, progress: progress)
            try await target.close()
            try await source.close()
            return report
        } catch {
            try? await target.close()
            try? await source.close()
            throw error
        }
    }

    static func copy(
        from source: SQLiteStore,
        to target: PostgresStore,
        logger: Logger,
        progress: @escaping @Sendable (CopyReport.Table) -> Void
    ) async throws -> CopyReport {
        let found = try await source.schemaVersion()
        let expected = source.knownSchemaVersion
        guard found == expected else { throw CopyFailure.sourceSchema(found: found, expected: expected) }
        try await target.migrate()
        let engine = target.engine
        return try await source.engine.snapshot { reader in
            try await engine.transaction { transaction in
                try await transaction.execute("SELECT pg_advisory_xact_lock(?)", [.int(lockKey)])
                let columns = try await matchingColumns(reader, transaction)
                try await requireEmpty(transaction)
                let sourceLedger = try await LedgerSums.read(reader)
                if let wrong = sourceLedger.firstMismatch {
                    throw CopyFailure.unbalancedSource(accountID: wrong.account, entries: wrong.entries, balance: wrong.balance)
                }
                var tables: [CopyReport.Table] = []
                for table in CopiedTables.all {
                    let started = ContinuousClock.now
                    let rows = try await copyTable(table, columns: columns[table] ?? [], from: reader, into: transaction, logger: logger)
                    let elapsed = ContinuousClock.now - started
                    let done = CopyReport.Table(
                        name: table,
                        rows: rows,
                        seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                    )
                    tables.append(done)
                    progress(done)
                }
                try await continueSequences(from: reader, on: transaction)
                let targetLedger = try await LedgerSums.read(transaction)
                if let wrong = targetLedger.firstMismatch {
                    throw CopyFailure.verificationFailed("account \(wrong.account): entries sum to \(wrong.entries), balance \(wrong.balance)")
                }
                guard targetLedger == sourceLedger else { throw CopyFailure.verificationFailed("the ledger's sums differ from the source's") }
                // Nodes already serving this database load what was copied now, not at their next poll.
                for topic in ["deck", "exchange_rates", "keys"] { try await transaction.notify(topic) }
                return CopyReport(tables: tables, balancedAccounts: targetLedger.balances.count)
            }
        }
    }

    /// Each table's columns, after checking that both databases have exactly the tables this
    /// copy knows, with the same columns.
    static func matchingColumns(_ reader: SQLiteConnection, _ transaction: PostgresTransaction) async throws -> [String: [String]] {
        let known = Set(CopiedTables.all)
        let sourceTables = try await reader.collect("SELECT name FROM sqlite_master WHERE type = 'table'", []) { try $0.text("name") }
        let targetTables = try await transaction.select(
            "SELECT table_name::text AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        ) { try $0.text("name") }
        for table in (sourceTables + targetTables).sorted() where !known.contains(table) && !CopiedTables.engineTables.contains(table) {
            throw CopyFailure.unknownTable(table)
        }
        var columns: [String: [String]] = [:]
        for table in CopiedTables.all {
            let sourceColumns = try await reader.collect("SELECT name FROM pragma_table_info('\(table)') ORDER BY cid", []) { try $0.text("name") }
            let targetColumns = try await transaction.select(
                """
                SELECT column_name::text AS name FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position
                """,
                [.text(table)]
            ) { try $0.text("name") }
            guard !sourceColumns.isEmpty, Set(sourceColumns) == Set(targetColumns) else {
                throw CopyFailure.columnsDiffer(table: table, source: sourceColumns, target: targetColumns)
            }
            columns[table] = targetColumns
        }
        return columns
    }

    /// Reference data alone (loaded whenever a database is opened) does not make a target
    /// filled: it is replaced by the source's. Anything else does.
    static func requireEmpty(_ transaction: PostgresTransaction) async throws {
        for table in CopiedTables.all where !CopiedTables.reference.contains(table) {
            let filled = try await transaction.select("SELECT EXISTS (SELECT 1 FROM \(table)) AS filled") { try $0["filled"].decode(Bool.self) }
            if filled.first == true { throw CopyFailure.targetNotEmpty(table: table) }
        }
        for table in CopiedTables.reference { try await transaction.execute("DELETE FROM \(table)") }
    }

    /// Streams one table, page by page in rowid order, into `COPY … FROM STDIN`; checks the
    /// target's count against the source's before going on.
    static func copyTable(
        _ table: String,
        columns: [String],
        from reader: SQLiteConnection,
        into transaction: PostgresTransaction,
        logger: Logger
    ) async throws -> Int {
        let expected = try await reader.collect("SELECT COUNT(*) AS n FROM \(table)", []) { try $0.int("n") }.first ?? 0
        let select = "SELECT rowid AS copy_rowid, \(columns.joined(separator: ", ")) FROM \(table) WHERE rowid > ? ORDER BY rowid LIMIT \(pageRows)"
        var copied = 0
        try await transaction.connection.copyFrom(table: table, columns: columns, logger: logger) { writer in
            var after = Int64.min
            while true {
                let page = try await reader.collect(select, [.integer(Int(after))]) { row in
                    try CopyText.line(row, table: table, columns: columns)
                }
                guard let last = page.last else { break }
                var buffer = ByteBuffer()
                for line in page { buffer.writeString(line.text) }
                try await writer.write(buffer)
                after = last.rowid
                copied += page.count
            }
        }
        let stored = try await transaction.select("SELECT COUNT(*) AS n FROM \(table)") { try $0.int("n") }.first ?? 0
        guard copied == expected, stored == expected else {
            throw CopyFailure.verificationFailed("\(table): \(expected) rows in the source, \(copied) sent, \(stored) stored")
        }
        return copied
    }

    /// Identity columns go on from the highest id the source used (its AUTOINCREMENT counter
    /// when that is higher, so that an id of a deleted row is never handed out again).
    static func continueSequences(from reader: SQLiteConnection, on transaction: PostgresTransaction) async throws {
        let hasCounters = try await !reader.collect("SELECT name FROM sqlite_master WHERE name = 'sqlite_sequence'", []) { _ in true }.isEmpty
        var counters: [String: Int64] = [:]
        if hasCounters {
            for (name, seq) in try await reader.collect(
                "SELECT name, seq FROM sqlite_sequence",
                [],
                decode: { (try $0.text("name"), try $0.int("seq")) }
            ) {
                counters[name] = seq
            }
        }
        let identities = try await transaction.select(
            """
            SELECT table_name::text AS name, column_name::text AS id FROM information_schema.columns
            WHERE table_schema = current_schema() AND is_identity = 'YES'
            """
        ) { (try $0.text("name"), try $0.text("id")) }
        for (table, column) in identities {
            _ = try await transaction.select(
                "SELECT setval(pg_get_serial_sequence(?, ?), GREATEST((SELECT COALESCE(MAX(\(column)), 0) FROM \(table)), ?) + 1, false) AS next",
                [.text(table), .text(column), .int(counters[table] ?? 0)]
            ) { _ in () }
        }
    }
}
