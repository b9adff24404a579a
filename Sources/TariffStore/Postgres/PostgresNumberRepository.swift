import TariffCore

/// Numbers on PostgreSQL, where several nodes rent at once. A number's stock row is locked by
/// whoever rents it, for the length of the rental's transaction; the unique index of live
/// subscriptions per number (`one_live_subscription`) stays as the last guard.
struct PostgresNumberRepository: NumberRepository {
    let engine: PostgresEngine

    func addToStock(_ numbers: [NewStockNumber], now: Instant) async throws -> Int {
        guard !numbers.isEmpty else { return 0 }
        // In digit order: two imports of overlapping files wait for each other's rows in the
        // same order, never in a cycle.
        let sorted = numbers.sorted { $0.number.digits < $1.number.digits }
        let columns = NumberRows.stockInsertColumns
        let tuple = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        let rowsPerStatement = 30_000 / columns.count
        return try await engine.transaction { transaction in
            var added = 0
            for start in stride(from: 0, to: sorted.count, by: rowsPerStatement) {
                let slice = sorted[start..<min(sorted.count, start + rowsPerStatement)]
                // A number already known keeps its row: importing a stock file twice adds nothing.
                // RETURNING answers only the rows inserted, which is the count.
                added += try await transaction.select(
                    "INSERT INTO stock_numbers (\(columns.joined(separator: ", "))) VALUES "
                        + Array(repeating: tuple, count: slice.count).joined(separator: ", ") + " ON CONFLICT (digits) DO NOTHING RETURNING id",
                    slice.flatMap { NumberRows.stockValues($0, now: now) }
                ) { try $0.int("id") }.count
            }
            return added
        }
    }

    func available(_ filter: StockFilter) async throws -> (numbers: [StockNumber], total: Int) {
        let (filterSQL, binds) = NumberRows.stockFilter(filter)
        let from = " FROM stock_numbers" + filterSQL
        return try await engine.transaction { transaction in
            // One snapshot for the page and the total, as SQLite's transaction gives.
            try await transaction.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            let numbers = try await transaction.select(
                "SELECT \(NumberRows.stockColumns)" + from + " ORDER BY digits LIMIT ? OFFSET ?",
                binds + [.int(max(0, filter.limit)), .int(max(0, filter.offset))],
                decode: NumberRows.stockNumber
            )
            let total = try await transaction.select("SELECT COUNT(*) AS n" + from, binds) { try $0.int("n") }.first ?? 0
            return (numbers, Int(total))
        }
    }

    func stockCounts() async throws -> [NumberPriceKey: Int] {
        Dictionary(try await engine.select(NumberRows.stockCounts, decode: NumberRows.stockCount), uniquingKeysWith: +)
    }

    func rent(
        _ request: RentalRequest,
        now: Instant,
        fees: @escaping @Sendable (StockNumber) throws -> SubscriptionFees
    ) async throws -> [RentedSubscription] {
        try await engine.transaction { transaction in
            guard
                try await !transaction.select("SELECT id FROM accounts WHERE id = ?", [.int(request.accountID)], decode: { try $0.int("id") }).isEmpty
            else { throw NumberError.unknownAccount(request.accountID) }
            let numbers = try await Self.pick(request.selection, on: transaction)
            let paidUntil = BillingMonth.start(anchor: now, index: 1)
            let priced = try numbers.map { number in (number: number, fees: try fees(number)) }
            let ids = try await Self.insertSubscriptions(priced, accountID: request.accountID, now: now, paidUntil: paidUntil, on: transaction)
            let rented = try priced.map { number, price in
                guard let id = ids[number.id] else { throw StoreError.corrupt("subscription insert returned no id") }
                return NumberRows.rental(id: id, accountID: request.accountID, number: number, fees: price, now: now, paidUntil: paidUntil)
            }
            let outcomes = try await PostgresLedgerRepository.post(rented.flatMap(\.postings), now: now, on: transaction)
            return try SubscriptionBilling.rented(rented, outcomes: outcomes)
        }
    }

    /// Stores the rentals' subscriptions, many to a statement; their ids by stock number.
    static func insertSubscriptions(
        _ priced: [(number: StockNumber, fees: SubscriptionFees)],
        accountID: Int64,
        now: Instant,
        paidUntil: Instant,
        on transaction: PostgresTransaction
    ) async throws -> [Int64: Int64] {
        let columns = NumberRows.subscriptionInsertColumns
        let tuple = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        let rowsPerStatement = 30_000 / columns.count
        var ids: [Int64: Int64] = [:]
        for start in stride(from: 0, to: priced.count, by: rowsPerStatement) {
            let slice = priced[start..<min(priced.count, start + rowsPerStatement)]
            // Matched by number rather than by position: the order of RETURNING is not promised.
            let rows = try await transaction.select(
                "INSERT INTO subscriptions (\(columns.joined(separator: ", "))) VALUES "
                    + Array(repeating: tuple, count: slice.count).joined(separator: ", ") + " RETURNING id, number_id",
                slice.flatMap {
                    NumberRows.subscriptionValues(accountID: accountID, number: $0.number, fees: $0.fees, now: now, paidUntil: paidUntil)
                }
            ) { (number: try $0.int("number_id"), id: try $0.int("id")) }
            for row in rows { ids[row.number] = row.id }
        }
        return ids
    }

    /// The numbers a rental takes, all in stock and locked by this transaction, or the reason
    /// it cannot be made.
    ///
    /// A lock alone is not proof: the statement that locks reads with the snapshot it started
    /// with, so a number rented by another node that committed while this one waited (or just
    /// before it reached the row) still looks free to it. Whether a locked number is held is
    /// therefore asked again in a later statement, whose snapshot sees every rental that held
    /// the lock before; none can start after, until this transaction ends.
    static func pick(_ selection: RentalRequest.Selection, on transaction: PostgresTransaction) async throws -> [StockNumber] {
        switch selection {
        case .numbers(let numbers):
            guard (1...RentalRequest.maxCount).contains(numbers.count) else { throw NumberError.invalidCount(numbers.count) }
            var seen = Set<String>()
            let wanted = numbers.filter { seen.insert($0.digits).inserted }
            // Named numbers are waited for, not skipped: a rental of one under way may yet roll
            // back. Locked in id order, so that two rentals of overlapping lists never wait
            // for each other in a cycle.
            let (digits, binds) = SubscriptionBilling.anyOf("digits", wanted.map { .text($0.digits) })
            let locked = try await transaction.select(
                "SELECT \(NumberRows.stockColumns) FROM stock_numbers WHERE \(digits) ORDER BY id FOR UPDATE",
                binds,
                decode: NumberRows.stockNumber
            )
            let held = try await held(locked.map(\.id), on: transaction)
            let free = Dictionary(locked.filter { !held.contains($0.id) }.map { ($0.number.digits, $0) }, uniquingKeysWith: { first, _ in first })
            return try wanted.map { number in
                guard let stock = free[number.digits] else { throw NumberError.notInStock(number.e164) }
                return stock
            }
        case .count(let count, let country, let category, let regionCode):
            guard (1...RentalRequest.maxCount).contains(count) else { throw NumberError.invalidCount(count) }
            var kind = "country = ? AND category = ?"
            var kindBinds: [StoredValue] = [.text(country), .text(category)]
            if let regionCode {
                kind += " AND region_code = ?"
                kindBinds.append(.text(regionCode))
            }
            var picked: [StockNumber] = []
            while picked.count < count {
                let (taken, takenBinds) = SubscriptionBilling.anyOf("stock_numbers.id", picked.map { .int($0.id) })
                // SKIP LOCKED: a number another node is renting is passed over rather than
                // waited for, so that rentals running at once take different numbers.
                let locked = try await transaction.select(
                    "SELECT \(NumberRows.stockColumns) FROM stock_numbers WHERE \(kind) AND \(NumberRows.inStock) AND NOT (\(taken))"
                        + " ORDER BY digits LIMIT ? FOR UPDATE SKIP LOCKED",
                    kindBinds + takenBinds + [.int(count - picked.count)],
                    decode: NumberRows.stockNumber
                )
                guard !locked.isEmpty else { break }
                // Rented meanwhile: left out, and not found free again by the next statement.
                let held = try await held(locked.map(\.id), on: transaction)
                picked += locked.filter { !held.contains($0.id) }
            }
            guard picked.count == count else { throw NumberError.notEnoughInStock(wanted: count, available: picked.count) }
            // As SQLite picks them: the lowest digits first.
            return picked.sorted { $0.number.digits < $1.number.digits }
        }
    }

    /// Which of the stock numbers `ids` a live subscription holds, as of now.
    private static func held(_ ids: [Int64], on transaction: PostgresTransaction) async throws -> Set<Int64> {
        let (among, binds) = SubscriptionBilling.anyOf("number_id", ids.map { .int($0) })
        return Set(
            try await transaction.select("SELECT number_id FROM subscriptions WHERE \(among) AND state <> 'ended'", binds) { try $0.int("number_id") }
        )
    }

    func subscriptions(_ query: SubscriptionQuery) async throws -> (subscriptions: [Subscription], total: Int) {
        let (filter, binds) = NumberRows.subscriptionFilter(query, among: SubscriptionBilling.anyOf)
        return try await engine.transaction { transaction in
            // One snapshot for the page and the total, as SQLite's transaction gives.
            try await transaction.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            let subscriptions = try await transaction.select(
                NumberRows.subscriptionColumns + filter + " ORDER BY subscriptions.id LIMIT ? OFFSET ?",
                binds + [.int(max(0, query.limit)), .int(max(0, query.offset))]
            ) { try NumberRows.subscription($0).subscription }
            let total = try await transaction.select("SELECT COUNT(*) AS n " + NumberRows.subscriptionsJoined + filter, binds) { try $0.int("n") }
            return (subscriptions, Int(total.first ?? 0))
        }
    }

    func cancel(accountID: Int64, subscriptionIDs: [Int64], now: Instant) async throws -> [Int64] {
        try await engine.transaction { transaction in
            var changed: [Int64] = []
            // Locked in id order, and read once locked: a renewal of one under way (which may
            // suspend it) finishes first, and its outcome decides what cancelling does.
            for id in Set(subscriptionIDs).sorted() {
                let rows = try await transaction.select("SELECT account_id, state FROM subscriptions WHERE id = ? FOR UPDATE", [.int(id)]) {
                    (account: try $0.int("account_id"), state: try $0.text("state"))
                }
                guard let row = rows.first, row.account == accountID else { throw NumberError.notFound(id) }
                guard let (sql, binds) = try SubscriptionBilling.cancellation(table: "subscriptions", id: id, state: row.state, now: now) else {
                    continue
                }
                try await transaction.execute(sql, binds)
                changed.append(id)
            }
            return changed
        }
    }
}
