import TariffCore

struct PostgresReferenceRepository: ReferenceRepository {
    let engine: PostgresEngine

    func isLoaded() async throws -> Bool {
        let rows = try await engine.select("SELECT COUNT(*) AS n FROM number_ranges") { try $0.int("n") }
        return (rows.first ?? 0) > 0
    }

    func load(_ tables: ReferenceTables) async throws {
        try await engine.transaction { transaction in
            for table in ReferenceRows.tables { try await transaction.execute("DELETE FROM \(table)") }
            for insert in ReferenceRows.inserts(tables) {
                try await transaction.insert(into: insert.table, columns: insert.columns, rows: insert.rows)
            }
        }
    }

    func tables() async throws -> ReferenceTables {
        ReferenceTables(
            countries: try await engine.select(ReferenceRows.countryColumns, decode: ReferenceRows.country),
            currencies: try await engine.select(ReferenceRows.currencyColumns, decode: ReferenceRows.currency),
            networks: try await engine.select(ReferenceRows.networkColumns, decode: ReferenceRows.network),
            ranges: try await engine.select(ReferenceRows.rangeColumns, decode: ReferenceRows.range)
        )
    }
}
