import TariffCore

extension AllowancePool {
    /// The units left to the accounts that `postings` draw for, in periods that have not ended
    /// before the earliest of them, locked until the transaction ends: a plan being replaced
    /// meanwhile (which ends its allowances' periods) waits for the batch, or the batch reads
    /// what it left. None are read for a batch without metered charges.
    ///
    /// Called with the accounts' balances locked, so no other batch draws on these rows; the
    /// lock is for the other writers of allowances. Locked in (account, id) order, as every
    /// batch locks them.
    static func load(for postings: [LedgerPosting], on transaction: PostgresTransaction) async throws -> AllowancePool {
        guard let scope = scope(of: postings) else { return AllowancePool(rows: []) }
        var rows: [Row] = []
        for chunk in PostgresLedgerRepository.chunks(scope.accounts, of: 1000) {
            rows += try await transaction.select(
                query + " (\(PostgresLedgerRepository.marks(chunk.count))) ORDER BY account_id, id FOR UPDATE",
                [.int(scope.earliest.secondsSince1970)] + chunk.map { .int($0) },
                decode: row
            )
        }
        return AllowancePool(rows: rows)
    }

    /// Writes what the batch drew, one statement for all the allowances touched. The CHECK on
    /// `used` refuses, and so rolls back the batch, any draw beyond what was included.
    func save(on transaction: PostgresTransaction) async throws {
        for chunk in PostgresLedgerRepository.chunks(draws, of: 10_000) {
            try await transaction.execute(
                """
                UPDATE allowances SET used = allowances.used + drawn.units
                FROM (VALUES \(PostgresLedgerRepository.marks(chunk.count, each: "(?, ?)"))) AS drawn (id, units)
                WHERE allowances.id = drawn.id
                """,
                chunk.flatMap { [StoredValue.int($0.id), .int($0.units)] }
            )
        }
    }
}
