import TariffCore

struct PostgresDeckRepository: DeckRepository {
    let engine: PostgresEngine

    func versions(deck: String) async throws -> [DeckVersion] {
        try await engine.select(DeckRows.versionColumns + " WHERE deck = ? ORDER BY id", [.text(deck)], decode: DeckRows.version)
    }

    func latestVersion(deck: String) async throws -> Int64? {
        try await engine.select("SELECT MAX(id) AS id FROM deck_versions WHERE deck = ?", [.text(deck)]) { try $0.optionalInt("id") }.first ?? nil
    }

    func rates(deck: String, after: Int64) async throws -> [Rate] {
        // PostgreSQL plans each statement with its values, so one filter serves the whole deck
        // and a later part of it (SQLite needs `? = 0` to keep to table order).
        try await engine.select(
            DeckRows.rateColumns + " WHERE deck = ? AND deck_version > ? ORDER BY id",
            [.text(deck), .int(after)],
            decode: DeckRows.rate
        )
    }

    func rates(deck: String, product: Product, origin: OriginScope?, prefixes: [String]?) async throws -> [Rate] {
        let list = origin == nil ? "" : " AND origin = ?"
        let scope: [StoredValue] = [.text(deck), .text(product.rawValue)] + (origin.map { [.text($0.rawValue)] } ?? [])
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
        let values = try DeckRows.versionValues(commit)
        let id = try await engine.transaction { transaction in
            // Imports of one deck take turns from here to their commit (other decks' go on), so
            // no other import commits between this check and the insert, and the deck's version
            // and row ids, given out after the lock, grow in the order its versions commit:
            // a reader asking for what follows a version it holds never misses one.
            try await transaction.execute("SELECT pg_advisory_xact_lock(hashtext('deck:' || ?))", [.text(commit.deck)])
            let latest = try await transaction.select("SELECT MAX(id) AS id FROM deck_versions WHERE deck = ?", [.text(commit.deck)]) {
                try $0.optionalInt("id")
            }
            guard (latest.first ?? nil) == commit.basedOn else { throw StoreError.deckChanged(deck: commit.deck) }
            let ids = try await transaction.select(DeckRows.versionInsert + " RETURNING id", values) { try $0.int("id") }
            guard let version = ids.first else { throw StoreError.corrupt("a deck version was stored without an id") }
            for insert in DeckRows.inserts(commit, version: version) {
                // A slice at a time: a million rates as bound values at once would take hundreds of megabytes.
                let slice = max(1, 300_000 / insert.columns.count)
                for start in stride(from: 0, to: insert.count, by: slice) {
                    let rows = (start..<min(insert.count, start + slice)).map(insert.values)
                    try await transaction.insert(into: insert.table, columns: insert.columns, rows: rows)
                }
            }
            // Other nodes reload at once instead of at their next poll.
            try await transaction.notify("deck")
            return version
        }
        return DeckRows.version(commit, id: id)
    }
}
