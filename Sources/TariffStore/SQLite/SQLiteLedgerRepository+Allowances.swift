import SQLiteNIO
import TariffCore

extension AllowancePool {
    /// The units left to the accounts that `postings` draw for, in periods that have not ended
    /// before the earliest of them: one read, none for a batch without metered charges. The
    /// batch holds SQLite's write lock, so nothing changes them before `save`.
    static func load(for postings: [LedgerPosting], on connection: SQLiteConnection) async throws -> AllowancePool {
        guard let scope = scope(of: postings) else { return AllowancePool(rows: []) }
        let rows = try await connection.rows(
            query,
            in: scope.accounts.map { SQLiteData.int($0) },
            after: [.int(scope.earliest.secondsSince1970)]
        )
        return AllowancePool(rows: try rows.map { try row($0) })
    }

    /// Writes what the batch drew, a statement per allowance touched.
    func save(on connection: SQLiteConnection) async throws {
        for draw in draws {
            _ = try await connection.query("UPDATE allowances SET used = used + ? WHERE id = ?", [.int(Int64(draw.units)), .int(draw.id)])
        }
    }
}
