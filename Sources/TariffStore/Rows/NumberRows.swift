import TariffCore

/// Numbers in stock and the subscriptions that rent them, as both engines store them.
enum NumberRows {
    /// A stock row not held by a live subscription.
    static let inStock = "NOT EXISTS (SELECT 1 FROM subscriptions WHERE subscriptions.number_id = stock_numbers.id AND state <> 'ended')"
    static let stockColumns = "stock_numbers.id AS number_id, digits, country, category, region_code"
    static let subscriptionsJoined = "FROM subscriptions JOIN stock_numbers ON stock_numbers.id = subscriptions.number_id"
    static let subscriptionColumns = """
        SELECT subscriptions.id, account_id, state, started_at, anchor, paid_until, installation, monthly, ended_at, monthly_explanation,
        \(stockColumns) \(subscriptionsJoined)
        """
    static let stockCounts =
        "SELECT country, category, region_code, COUNT(*) AS n FROM stock_numbers WHERE \(inStock) GROUP BY country, category, region_code"

    static let stockInsertColumns = ["digits", "country", "category", "region_code", "added_at"]

    static func stockValues(_ number: NewStockNumber, now: Instant) -> [StoredValue] {
        [.text(number.number.digits), .text(number.country), .text(number.category), .optional(number.regionCode), .int(now.secondsSince1970)]
    }

    static let subscriptionInsertColumns = [
        "account_id", "number_id", "state", "started_at", "anchor", "paid_until", "installation", "monthly", "monthly_explanation",
    ]

    /// A new rental's row for `subscriptionInsertColumns`: active, anchored now, paid until `paidUntil`.
    static func subscriptionValues(accountID: Int64, number: StockNumber, fees: SubscriptionFees, now: Instant, paidUntil: Instant) -> [StoredValue] {
        [
            .int(accountID), .int(number.id), .text(Subscription.State.active.rawValue), .int(now.secondsSince1970), .int(now.secondsSince1970),
            .int(paidUntil.secondsSince1970), .int(fees.installation.units), .int(fees.monthly.units), .optional(fees.monthlyExplanation?.jsonText),
        ]
    }

    /// A WHERE clause (with its values) of the numbers in stock that `filter` asks for.
    static func stockFilter(_ filter: StockFilter) -> (sql: String, binds: [StoredValue]) {
        var conditions = [inStock]
        var binds: [StoredValue] = []
        if let country = filter.country {
            conditions.append("country = ?")
            binds.append(.text(country))
        }
        if let category = filter.category {
            conditions.append("category = ?")
            binds.append(.text(category))
        }
        if let region = filter.regionCode {
            conditions.append("region_code = ?")
            binds.append(.text(region))
        }
        if let prefix = filter.prefix, !prefix.isEmpty {
            // The length is the engine's own count of the prefix's characters, bound as text:
            // PostgreSQL has no substr taking the 64-bit integer a bound count would be.
            conditions.append("substr(digits, 1, length(?)) = ?")
            binds += [.text(prefix), .text(prefix)]
        }
        return (" WHERE " + conditions.joined(separator: " AND "), binds)
    }

    /// A WHERE clause (with its values, empty when nothing is asked) of the subscriptions that
    /// `query` asks for, over `subscriptionsJoined`; `among` says how its engine matches a list.
    static func subscriptionFilter(_ query: SubscriptionQuery, among: SubscriptionBilling.Among) -> (sql: String, binds: [StoredValue]) {
        var conditions: [String] = []
        var binds: [StoredValue] = []
        func add(_ condition: (sql: String, binds: [StoredValue])) {
            conditions.append(condition.sql)
            binds += condition.binds
        }
        if let account = query.accountID { add(("account_id = ?", [.int(account)])) }
        if let ids = query.ids { add(among("subscriptions.id", ids.map { .int($0) })) }
        if let numberIDs = query.numberIDs { add(among("number_id", numberIDs.map { .int($0) })) }
        if let numbers = query.numbers { add(among("digits", numbers.map { .text($0) })) }
        if let states = query.states { add(among("state", states.sorted { $0.rawValue < $1.rawValue }.map { .text($0.rawValue) })) }
        if let country = query.country { add(("country = ?", [.text(country)])) }
        if let category = query.category { add(("category = ?", [.text(category)])) }
        if let from = query.renewalFrom { add(("paid_until >= ?", [.int(from.secondsSince1970)])) }
        if let until = query.renewalUntil { add(("paid_until < ?", [.int(until.secondsSince1970)])) }
        return (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND "), binds)
    }

    /// A rental just stored as `id`, and its charges: the installation fee (when there is one)
    /// and the first month.
    static func rental(
        id: Int64,
        accountID: Int64,
        number: StockNumber,
        fees: SubscriptionFees,
        now: Instant,
        paidUntil: Instant
    ) -> (subscription: Subscription, postings: [LedgerPosting]) {
        let subscription = Subscription(
            id: id,
            accountID: accountID,
            number: number,
            state: .active,
            startedAt: now,
            paidUntil: paidUntil,
            installation: fees.installation,
            monthly: fees.monthly,
            endedAt: nil
        )
        var postings: [LedgerPosting] = []
        if fees.installation.units != 0 {
            postings.append(
                LedgerPosting(
                    accountID: accountID,
                    type: .subscriptionInstallationCharge,
                    amount: Amount(units: -fees.installation.units),
                    performedAt: now,
                    description: "installation fee \(number.number.e164) (\(fees.note))",
                    reference: "subscription:\(id):installation",
                    explanation: fees.installationExplanation
                )
            )
        }
        postings.append(monthlyCharge(subscription, start: now, end: paidUntil, note: fees.note, explanation: fees.monthlyExplanation))
        for index in postings.indices { postings[index].pricedIn = fees.currency }
        return (subscription, postings)
    }

    static func monthlyCharge(
        _ subscription: Subscription,
        start: Instant,
        end: Instant,
        note: String,
        explanation: ChargeExplanation?
    ) -> LedgerPosting {
        SubscriptionBilling.monthlyCharge(
            accountID: subscription.accountID,
            subscriptionID: subscription.id,
            monthly: subscription.monthly,
            label: subscription.number.number.e164,
            reference: Subscription.chargeReference(subscription: subscription.id, periodStart: start),
            start: start,
            end: end,
            note: note,
            explanation: explanation
        )
    }

    /// A row of `subscriptionColumns` as its renewal sees it.
    static func renewal(_ row: some StoredRow) throws -> SubscriptionRenewal.Target {
        let (subscription, anchor) = try Self.subscription(row)
        let explanation = try row.optionalText("monthly_explanation").map(LedgerRows.explanation)
        return SubscriptionRenewal.Target(
            table: "subscriptions",
            id: subscription.id,
            accountID: subscription.accountID,
            state: subscription.state,
            anchor: anchor,
            paidUntil: subscription.paidUntil,
            includes: [],
            charge: { start, end, note in monthlyCharge(subscription, start: start, end: end, note: note, explanation: explanation) }
        )
    }

    static func stockNumber(_ row: some StoredRow) throws -> StockNumber {
        let digits = try row.text("digits")
        guard let number = try? PhoneNumber(parsing: "+" + digits) else { throw StoreError.corrupt("stock number \(digits)") }
        return StockNumber(
            id: try row.int("number_id"),
            number: number,
            country: try row.text("country"),
            category: try row.text("category"),
            regionCode: try row.optionalText("region_code")
        )
    }

    static func stockCount(_ row: some StoredRow) throws -> (key: NumberPriceKey, count: Int) {
        (
            NumberPriceKey(country: try row.text("country"), category: try row.text("category"), regionCode: try row.optionalText("region_code")),
            Int(try row.int("n"))
        )
    }

    static func subscription(_ row: some StoredRow) throws -> (subscription: Subscription, anchor: Instant) {
        guard let state = Subscription.State(rawValue: try row.text("state")) else { throw StoreError.corrupt("subscription state") }
        let subscription = Subscription(
            id: try row.int("id"),
            accountID: try row.int("account_id"),
            number: try stockNumber(row),
            state: state,
            startedAt: Instant(secondsSince1970: try row.int("started_at")),
            paidUntil: Instant(secondsSince1970: try row.int("paid_until")),
            installation: Amount(units: try row.int("installation")),
            monthly: Amount(units: try row.int("monthly")),
            endedAt: try row.optionalInt("ended_at").map(Instant.init(secondsSince1970:))
        )
        return (subscription, Instant(secondsSince1970: try row.int("anchor")))
    }
}
