import Foundation
import TariffCore

/// Deck versions and the price versions they append, as both engines store them.
enum DeckRows {
    static let versionColumns = "SELECT id, deck, kind, source, created_at, row_count, additions, summary, is_demo FROM deck_versions"
    static let rateColumns = """
        SELECT deck_version, product, origin, country, network, prefix, number_type, effective_from, closed, price_units,
        currency, increment_initial, increment_subsequent, connect_fee_units, description, resource FROM rates
        """
    static let numberPriceColumns = """
        SELECT deck_version, country, category, region_code, effective_from, closed, region_name, installation_units,
               monthly_units, currency, incoming_resource
        FROM number_prices
        """
    static let servicePriceColumns = """
        SELECT deck_version, product, variant, country, effective_from, closed, unit, price_units, per_units, minimum_units,
               increment_initial, increment_subsequent, setup_fee_units, currency, description, resource
        FROM service_prices
        """
    static let templatePriceColumns = """
        SELECT deck_version, template, effective_from, closed, type, display_name, installation_units, monthly_units, currency, includes
        FROM template_prices
        """

    /// A new version's row; each engine reads back the id it was given in its own way.
    static let versionInsert = """
        INSERT INTO deck_versions (deck, kind, source, created_at, row_count, additions, summary, is_demo)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        """

    static func versionValues(_ commit: DeckCommit) throws -> [StoredValue] {
        let summary = String(decoding: try JSONEncoder().encode(commit.summary), as: UTF8.self)
        return [
            .text(commit.deck), .text(commit.kind), .text(commit.source), .int(commit.createdAt.secondsSince1970),
            .int(commit.rowCount), .int(additions(commit)), .text(summary), .int(commit.isDemo ? 1 : 0),
        ]
    }

    static func additions(_ commit: DeckCommit) -> Int {
        commit.rates.count + commit.numberPrices.count + commit.servicePrices.count + commit.templatePrices.count
    }

    /// The version `commit` was stored as.
    static func version(_ commit: DeckCommit, id: Int64) -> DeckVersion {
        DeckVersion(
            id: id,
            deck: commit.deck,
            kind: commit.kind,
            source: commit.source,
            createdAt: commit.createdAt,
            rowCount: commit.rowCount,
            additions: additions(commit),
            summary: commit.summary,
            isDemo: commit.isDemo
        )
    }

    /// One table's share of a commit. A row's values are built only as it is inserted, so that
    /// a million-row deck never exists a second time, as bound values, all at once.
    struct Insert: Sendable {
        let table: String
        let columns: [String]
        let count: Int
        let values: @Sendable (Int) -> [StoredValue]
    }

    /// What `commit` appends as deck version `version`, table by table, rates first.
    static func inserts(_ commit: DeckCommit, version: Int64) -> [Insert] {
        let deck = commit.deck
        return [
            Insert(
                table: "rates",
                columns: [
                    "deck", "deck_version", "product", "origin", "country", "network", "prefix", "number_type", "effective_from",
                    "closed", "price_units", "currency", "increment_initial", "increment_subsequent", "connect_fee_units",
                    "description", "resource",
                ],
                count: commit.rates.count
            ) { index in
                let rate = commit.rates[index]
                let key = rate.key
                let terms = rate.terms
                return [
                    .text(deck), .int(version), .text(key.product.rawValue), .text(key.origin.rawValue), .optional(key.country),
                    .optional(key.network), .optional(key.prefix), .optional(key.numberType), .int(rate.effectiveFrom.secondsSince1970),
                    .int(terms == nil ? 1 : 0), .optional(terms?.price.units), .optional(terms?.currency.rawValue),
                    .optional(terms?.increment.map { Int64($0.initial) }), .optional(terms?.increment.map { Int64($0.subsequent) }),
                    .optional(terms?.connectFee.units), .optional(terms?.description), .optional(terms?.resource),
                ]
            },
            Insert(
                table: "number_prices",
                columns: [
                    "deck", "deck_version", "country", "category", "region_code", "effective_from", "closed", "region_name",
                    "installation_units", "monthly_units", "currency", "incoming_resource",
                ],
                count: commit.numberPrices.count
            ) { index in
                let price = commit.numberPrices[index]
                let terms = price.terms
                return [
                    .text(deck), .int(version), .text(price.key.country), .text(price.key.category), .optional(price.key.regionCode),
                    .int(price.effectiveFrom.secondsSince1970), .int(terms == nil ? 1 : 0), .optional(terms?.regionName),
                    .optional(terms?.installation.units), .optional(terms?.monthly.units), .optional(terms?.currency.rawValue),
                    .optional(terms?.incomingResource),
                ]
            },
            Insert(
                table: "service_prices",
                columns: [
                    "deck", "deck_version", "product", "variant", "country", "effective_from", "closed", "unit", "price_units", "per_units",
                    "minimum_units", "increment_initial", "increment_subsequent", "setup_fee_units", "currency", "description", "resource",
                ],
                count: commit.servicePrices.count
            ) { index in
                let price = commit.servicePrices[index]
                let terms = price.terms
                return [
                    .text(deck), .int(version), .text(price.key.product), .optional(price.key.variant), .optional(price.key.country),
                    .int(price.effectiveFrom.secondsSince1970), .int(terms == nil ? 1 : 0), .optional(terms?.unit),
                    .optional(terms?.price.units), .optional(terms.map { Int64($0.perUnits) }), .optional(terms.map { Int64($0.minimum) }),
                    .optional(terms.map { Int64($0.increment.initial) }), .optional(terms.map { Int64($0.increment.subsequent) }),
                    .optional(terms?.setupFee.units), .optional(terms?.currency.rawValue), .optional(terms?.description),
                    .optional(terms?.resource),
                ]
            },
            Insert(
                table: "template_prices",
                columns: [
                    "deck", "deck_version", "template", "effective_from", "closed", "type", "display_name", "installation_units",
                    "monthly_units", "currency", "includes",
                ],
                count: commit.templatePrices.count
            ) { index in
                let price = commit.templatePrices[index]
                let terms = price.terms
                return [
                    .text(deck), .int(version), .text(price.key.name), .int(price.effectiveFrom.secondsSince1970), .int(terms == nil ? 1 : 0),
                    .optional(terms?.type), .optional(terms?.displayName), .optional(terms?.installation.units), .optional(terms?.monthly.units),
                    .optional(terms?.currency.rawValue), .optional(terms.map { $0.includes.map(\.description).joined(separator: ";") }),
                ]
            },
        ]
    }

    /// `prefixes` without repeats, sorted, in slices of 500 (within SQLite's limit on bound
    /// values): one statement each, so that both engines answer in the same order.
    static func prefixSlices(_ prefixes: [String]) -> [[String]] {
        let distinct = Array(Set(prefixes)).sorted()
        return stride(from: 0, to: distinct.count, by: 500).map { Array(distinct[$0..<min($0 + 500, distinct.count)]) }
    }

    static func version(_ row: some StoredRow) throws -> DeckVersion {
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

    static func rate(_ row: some StoredRow) throws -> Rate {
        guard let product = Product(rawValue: try row.text("product")), let origin = OriginScope(rawValue: try row.text("origin")) else {
            throw StoreError.corrupt("rate product or origin")
        }
        let key = RateKey(
            product: product,
            origin: origin,
            country: try row.optionalText("country"),
            network: try row.optionalText("network"),
            prefix: try row.optionalText("prefix"),
            numberType: try row.optionalText("number_type")
        )
        var terms: RateTerms?
        if try row.int("closed") == 0 {
            guard let currency = try row.optionalText("currency").flatMap({ CurrencyCode($0) }) else { throw StoreError.corrupt("rate currency") }
            let increment = try row.optionalInt("increment_initial").flatMap { initial in
                try row.optionalInt("increment_subsequent").flatMap { BillingIncrement(initial: Int(initial), subsequent: Int($0)) }
            }
            terms = RateTerms(
                price: Amount(units: try row.int("price_units")),
                currency: currency,
                increment: increment,
                connectFee: Amount(units: try row.optionalInt("connect_fee_units") ?? 0),
                description: try row.optionalText("description") ?? "",
                resource: try row.optionalText("resource") ?? ""
            )
        }
        return Rate(
            key: key,
            effectiveFrom: Instant(secondsSince1970: try row.int("effective_from")),
            terms: terms,
            deckVersion: try row.int("deck_version")
        )
    }

    static func numberPrice(_ row: some StoredRow) throws -> NumberPrice {
        let key = NumberPriceKey(
            country: try row.text("country"),
            category: try row.text("category"),
            regionCode: try row.optionalText("region_code")
        )
        var terms: NumberPriceTerms?
        if try row.int("closed") == 0 {
            guard let currency = try row.optionalText("currency").flatMap({ CurrencyCode($0) }) else {
                throw StoreError.corrupt("number price currency")
            }
            terms = NumberPriceTerms(
                regionName: try row.optionalText("region_name"),
                installation: Amount(units: try row.int("installation_units")),
                monthly: Amount(units: try row.int("monthly_units")),
                currency: currency,
                incomingResource: try row.optionalText("incoming_resource")
            )
        }
        return NumberPrice(
            key: key,
            effectiveFrom: Instant(secondsSince1970: try row.int("effective_from")),
            terms: terms,
            deckVersion: try row.int("deck_version")
        )
    }

    static func servicePrice(_ row: some StoredRow) throws -> ServicePrice {
        let key = ServicePriceKey(
            product: try row.text("product"),
            variant: try row.optionalText("variant"),
            country: try row.optionalText("country")
        )
        var terms: ServicePriceTerms?
        if try row.int("closed") == 0 {
            guard let currency = try row.optionalText("currency").flatMap({ CurrencyCode($0) }),
                let increment = UnitIncrement(
                    initial: Int(try row.int("increment_initial")),
                    subsequent: Int(try row.int("increment_subsequent"))
                )
            else { throw StoreError.corrupt("service price currency or increment") }
            terms = ServicePriceTerms(
                unit: try row.text("unit"),
                price: Amount(units: try row.int("price_units")),
                perUnits: Int(try row.int("per_units")),
                minimum: Int(try row.int("minimum_units")),
                increment: increment,
                setupFee: Amount(units: try row.int("setup_fee_units")),
                currency: currency,
                description: try row.optionalText("description") ?? "",
                resource: try row.optionalText("resource") ?? ""
            )
        }
        return ServicePrice(
            key: key,
            effectiveFrom: Instant(secondsSince1970: try row.int("effective_from")),
            terms: terms,
            deckVersion: try row.int("deck_version")
        )
    }

    static func templatePrice(_ row: some StoredRow) throws -> TemplatePrice {
        var terms: TemplateTerms?
        if try row.int("closed") == 0 {
            guard let currency = try row.optionalText("currency").flatMap({ CurrencyCode($0) }),
                let includes = Allowance.list(parsing: try row.optionalText("includes") ?? "")
            else { throw StoreError.corrupt("template currency or allowances") }
            terms = TemplateTerms(
                type: try row.text("type"),
                displayName: try row.text("display_name"),
                installation: Amount(units: try row.int("installation_units")),
                monthly: Amount(units: try row.int("monthly_units")),
                currency: currency,
                includes: includes
            )
        }
        return TemplatePrice(
            key: TemplateKey(name: try row.text("template")),
            effectiveFrom: Instant(secondsSince1970: try row.int("effective_from")),
            terms: terms,
            deckVersion: try row.int("deck_version")
        )
    }
}
