import Foundation
import SQLiteNIO
import TariffCore

struct SQLiteDeckRepository: DeckRepository {
    let engine: SQLiteEngine

    func versions(deck: String) async throws -> [DeckVersion] {
        try await engine.select(
            "SELECT id, deck, kind, source, created_at, row_count, additions, summary, is_demo FROM deck_versions WHERE deck = ? ORDER BY id",
            [.text(deck)]
        ) { row in
            DeckVersion(
                id: try row.int("id"),
                deck: try row.text("deck"),
                kind: try row.text("kind"),
                source: try row.text("source"),
                createdAt: Instant(secondsSince1970: try row.int("created_at")),
                rowCount: Int(try row.int("row_count")),
                additions: Int(try row.int("additions")),
                summary: try JSONDecoder().decode(ChangeSummary.self, from: Data(try row.text("summary").utf8)),
                isDemo: try row.int("is_demo") == 1
            )
        }
    }

    func latestVersion(deck: String) async throws -> Int64? {
        try await engine.select("SELECT MAX(id) AS id FROM deck_versions WHERE deck = ?", [.text(deck)]) { $0.optionalInt("id") }.first ?? nil
    }

    static let rateColumns = """
        deck_version, product, origin, country, network, prefix, number_type, effective_from, closed, price_units,
        currency, increment_initial, increment_subsequent, connect_fee_units, description, resource
        """

    func rates(deck: String, after: Int64) async throws -> [Rate] {
        // The whole deck in table order; a later part through the deck_version index.
        let filter = after > 0 ? "deck = ? AND deck_version > ?" : "deck = ? AND ? = 0"
        return try await engine.select(
            "SELECT \(Self.rateColumns) FROM rates WHERE \(filter) ORDER BY id",
            [.text(deck), .int(after)],
            decode: Self.rate
        )
    }

    func rates(deck: String, product: Product, origin: OriginScope?, prefixes: [String]?) async throws -> [Rate] {
        // Rows of other lists are left out by SQLite, before they cost a decoded row.
        let list = origin == nil ? "" : " AND origin = ?"
        let scope: [SQLiteData] = [.text(deck), .text(product.rawValue)] + (origin.map { [.text($0.rawValue)] } ?? [])
        guard let prefixes else {
            return try await engine.select(
                "SELECT \(Self.rateColumns) FROM rates WHERE deck = ? AND product = ?\(list) ORDER BY id",
                scope,
                decode: Self.rate
            )
        }
        var result = try await engine.select(
            "SELECT \(Self.rateColumns) FROM rates WHERE deck = ? AND product = ?\(list) AND prefix IS NULL ORDER BY id",
            scope,
            decode: Self.rate
        )
        // Within SQLite's limit on bound values per statement.
        let distinct = Array(Set(prefixes)).sorted()
        for start in stride(from: 0, to: distinct.count, by: 500) {
            let chunk = distinct[start..<min(start + 500, distinct.count)]
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
            result += try await engine.select(
                "SELECT \(Self.rateColumns) FROM rates WHERE deck = ? AND product = ?\(list) AND prefix IN (\(marks)) ORDER BY id",
                scope + chunk.map { .text($0) },
                decode: Self.rate
            )
        }
        return result
    }

    @Sendable static func rate(_ row: SQLiteRow) throws -> Rate {
        guard let product = Product(rawValue: try row.text("product")), let origin = OriginScope(rawValue: try row.text("origin")) else {
            throw StoreError.corrupt("rate product or origin")
        }
        let key = RateKey(
            product: product,
            origin: origin,
            country: row.optionalText("country"),
            network: row.optionalText("network"),
            prefix: row.optionalText("prefix"),
            numberType: row.optionalText("number_type")
        )
        var terms: RateTerms?
        if try row.int("closed") == 0 {
            guard let currency = row.optionalText("currency").flatMap({ CurrencyCode($0) }) else { throw StoreError.corrupt("rate currency") }
            let increment = row.optionalInt("increment_initial").flatMap { initial in
                row.optionalInt("increment_subsequent").flatMap { BillingIncrement(initial: Int(initial), subsequent: Int($0)) }
            }
            terms = RateTerms(
                price: Amount(units: try row.int("price_units")),
                currency: currency,
                increment: increment,
                connectFee: Amount(units: row.optionalInt("connect_fee_units") ?? 0),
                description: row.optionalText("description") ?? "",
                resource: row.optionalText("resource") ?? ""
            )
        }
        return Rate(
            key: key,
            effectiveFrom: Instant(secondsSince1970: try row.int("effective_from")),
            terms: terms,
            deckVersion: try row.int("deck_version")
        )
    }

    func numberPrices(deck: String, after: Int64) async throws -> [NumberPrice] {
        try await engine.select(
            """
            SELECT deck_version, country, category, region_code, effective_from, closed, region_name, installation_units,
                   monthly_units, currency, incoming_resource
            FROM number_prices WHERE deck = ? AND deck_version > ? ORDER BY id
            """,
            [.text(deck), .int(after)]
        ) { row in
            let key = NumberPriceKey(
                country: try row.text("country"),
                category: try row.text("category"),
                regionCode: row.optionalText("region_code")
            )
            var terms: NumberPriceTerms?
            if try row.int("closed") == 0 {
                guard let currency = row.optionalText("currency").flatMap({ CurrencyCode($0) }) else {
                    throw StoreError.corrupt("number price currency")
                }
                terms = NumberPriceTerms(
                    regionName: row.optionalText("region_name"),
                    installation: Amount(units: try row.int("installation_units")),
                    monthly: Amount(units: try row.int("monthly_units")),
                    currency: currency,
                    incomingResource: row.optionalText("incoming_resource")
                )
            }
            return NumberPrice(
                key: key,
                effectiveFrom: Instant(secondsSince1970: try row.int("effective_from")),
                terms: terms,
                deckVersion: try row.int("deck_version")
            )
        }
    }

    func commit(_ commit: DeckCommit) async throws -> DeckVersion {
        let summary = String(decoding: try JSONEncoder().encode(commit.summary), as: UTF8.self)
        let additions = commit.rates.count + commit.numberPrices.count
        let id = try await engine.transaction { connection in
            // Inside the write transaction (BEGIN IMMEDIATE), so no other import can commit
            // between this check and the insert.
            let latest = try await connection.query("SELECT MAX(id) AS id FROM deck_versions WHERE deck = ?", [.text(commit.deck)])
                .first?.optionalInt("id")
            guard latest == commit.basedOn else { throw StoreError.deckChanged(deck: commit.deck) }
            _ = try await connection.query(
                """
                INSERT INTO deck_versions (deck, kind, source, created_at, row_count, additions, summary, is_demo)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    .text(commit.deck), .text(commit.kind), .text(commit.source), .int(commit.createdAt.secondsSince1970),
                    .int(commit.rowCount), .int(additions), .text(summary), .int(commit.isDemo ? 1 : 0),
                ]
            )
            let version = Int64(try await connection.lastAutoincrementID())
            // A bulk load into a table no larger than itself: building the index once afterwards
            // (a sort) is several times quicker than a million inserts into it. Inside this
            // transaction, so readers and a failed import see the index as it was.
            let storedRows = try await connection.query("SELECT MAX(id) AS id FROM rates").first?.optionalInt("id") ?? 0
            let rebuildIndex = commit.rates.count >= 50_000 && Int64(commit.rates.count) * 2 >= storedRows
            if rebuildIndex { _ = try await connection.query("DROP INDEX IF EXISTS rates_by_prefix") }
            try await connection.insert(
                into: "rates",
                columns: [
                    "deck", "deck_version", "product", "origin", "country", "network", "prefix", "number_type", "effective_from",
                    "closed", "price_units", "currency", "increment_initial", "increment_subsequent", "connect_fee_units",
                    "description", "resource",
                ],
                count: commit.rates.count
            ) { index, binds in
                let rate = commit.rates[index]
                let key = rate.key
                let terms = rate.terms
                binds += [
                    .text(commit.deck), .int(version), .text(key.product.rawValue), .text(key.origin.rawValue), .optional(key.country),
                    .optional(key.network), .optional(key.prefix), .optional(key.numberType), .int(rate.effectiveFrom.secondsSince1970),
                    .int(terms == nil ? 1 : 0), .optional(terms?.price.units), .optional(terms?.currency.rawValue),
                    .optional(terms?.increment.map { Int64($0.initial) }), .optional(terms?.increment.map { Int64($0.subsequent) }),
                    .optional(terms?.connectFee.units), .optional(terms?.description), .optional(terms?.resource),
                ]
            }
            if rebuildIndex { _ = try await connection.query(RateLookups004.prefixIndex) }
            try await connection.insert(
                into: "number_prices",
                columns: [
                    "deck", "deck_version", "country", "category", "region_code", "effective_from", "closed", "region_name",
                    "installation_units", "monthly_units", "currency", "incoming_resource",
                ],
                count: commit.numberPrices.count
            ) { index, binds in
                let price = commit.numberPrices[index]
                let terms = price.terms
                binds += [
                    .text(commit.deck), .int(version), .text(price.key.country), .text(price.key.category), .optional(price.key.regionCode),
                    .int(price.effectiveFrom.secondsSince1970), .int(terms == nil ? 1 : 0), .optional(terms?.regionName),
                    .optional(terms?.installation.units), .optional(terms?.monthly.units), .optional(terms?.currency.rawValue),
                    .optional(terms?.incomingResource),
                ]
            }
            return version
        }
        return DeckVersion(
            id: id,
            deck: commit.deck,
            kind: commit.kind,
            source: commit.source,
            createdAt: commit.createdAt,
            rowCount: commit.rowCount,
            additions: additions,
            summary: commit.summary,
            isDemo: commit.isDemo
        )
    }
}
