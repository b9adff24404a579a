import SQLiteNIO
import TariffCore

struct SQLiteDeckRepository: DeckRepository {
    let engine: SQLiteEngine

    func versions(deck: String) async throws -> [DeckVersion] {
        try await engine.select(DeckRows.versionColumns + " WHERE deck = ? ORDER BY id", [.text(deck)], decode: DeckRows.version)
    }

    func latestVersion(deck: String) async throws -> Int64? {
        try await engine.select("SELECT MAX(id) AS id FROM deck_versions WHERE deck = ?", [.text(deck)]) { $0.optionalInt("id") }.first ?? nil
    }

    func rates(deck: String, after: Int64) async throws -> [Rate] {
        // The whole deck in table order; a later part through the deck_version index.
        let filter = after > 0 ? "deck = ? AND deck_version > ?" : "deck = ? AND ? = 0"
        return try await engine.select(DeckRows.rateColumns + " WHERE \(filter) ORDER BY id", [.text(deck), .int(after)], decode: DeckRows.rate)
    }

    func rates(deck: String, product: Product, origin: OriginScope?, prefixes: [String]?) async throws -> [Rate] {
        // Rows of other lists are left out by SQLite, before they cost a decoded row.
        let list = origin == nil ? "" : " AND origin = ?"
        let scope: [SQLiteData] = [.text(deck), .text(product.rawValue)] + (origin.map { [.text($0.rawValue)] } ?? [])
        guard let prefixes else {
            return try await engine.select(DeckRows.rateColumns + " WHERE deck = ? AND product = ?\(list) ORDER BY id", scope, decode: DeckRows.rate)
        }
        var result = try await engine.select(
            DeckRows.rateColumns + " WHERE deck = ? AND product = ?\(list) AND prefix IS NULL ORDER BY id",
            scope,
            decode: DeckRows.rate
        )
        for slice in DeckRows.prefixSlices(prefixes) {
            let marks = Array(repeating: "?", count: slice.count).joined(separator: ", ")
            result += try await engine.select(
                DeckRows.rateColumns + " WHERE deck = ? AND product = ?\(list) AND prefix IN (\(marks)) ORDER BY id",
                scope + slice.map { .text($0) },
                decode: DeckRows.rate
            )
        }
        return result
    }

    func numberPrices(deck: String, after: Int64) async throws -> [NumberPrice] {
        try await engine.select(
            DeckRows.numberPriceColumns + " WHERE deck = ? AND deck_version > ? ORDER BY id",
            [.text(deck), .int(after)],
            decode: DeckRows.numberPrice
        )
    }

    func servicePrices(deck: String, after: Int64) async throws -> [ServicePrice] {
        try await engine.select(
            DeckRows.servicePriceColumns + " WHERE deck = ? AND deck_version > ? ORDER BY id",
            [.text(deck), .int(after)],
            decode: DeckRows.servicePrice
        )
    }

    func templatePrices(deck: String, after: Int64) async throws -> [TemplatePrice] {
        try await engine.select(
            DeckRows.templatePriceColumns + " WHERE deck = ? AND deck_version > ? ORDER BY id",
            [.text(deck), .int(after)],
            decode: DeckRows.templatePrice
        )
    }

    func commit(_ commit: DeckCommit) async throws -> DeckVersion {
        let values = try DeckRows.versionValues(commit).map(\.sqlite)
        let id = try await engine.transaction { connection in
            // Inside the write transaction (BEGIN IMMEDIATE), so no other import can commit
            // between this check and the insert.
            let latest = try await connection.query("SELECT MAX(id) AS id FROM deck_versions WHERE deck = ?", [.text(commit.deck)])
                .first?.optionalInt("id")
            guard latest == commit.basedOn else { throw StoreError.deckChanged(deck: commit.deck) }
            _ = try await connection.query(DeckRows.versionInsert, values)
            let version = Int64(try await connection.lastAutoincrementID())
            // A bulk load into a table no larger than itself: building the index once afterwards
            // (a sort) is several times quicker than a million inserts into it. Inside this
            // transaction, so readers and a failed import see the index as it was.
            let storedRows = try await connection.query("SELECT MAX(id) AS id FROM rates").first?.optionalInt("id") ?? 0
            let rebuildIndex = commit.rates.count >= 50_000 && Int64(commit.rates.count) * 2 >= storedRows
            if rebuildIndex { _ = try await connection.query("DROP INDEX IF EXISTS rates_by_prefix") }
            for insert in DeckRows.inserts(commit, version: version) {
                try await connection.insert(into: insert.table, columns: insert.columns, count: insert.count) { index, binds in
                    binds.append(contentsOf: insert.values(index).lazy.map(\.sqlite))
                }
                if rebuildIndex, insert.table == "rates" { _ = try await connection.query(RateLookups004.prefixIndex) }
            }
            return version
        }
        return DeckRows.version(commit, id: id)
    }
}
