import SQLiteNIO
import TariffCore

struct SQLiteNumberRepository: NumberRepository {
    let engine: SQLiteEngine

    func addToStock(_ numbers: [NewStockNumber], now: Instant) async throws -> Int {
        guard !numbers.isEmpty else { return 0 }
        return try await engine.transaction { connection in
            var added = 0
            let columns = NumberRows.stockInsertColumns
            let tuple = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
            for start in stride(from: 0, to: numbers.count, by: 500) {
                let slice = numbers[start..<min(numbers.count, start + 500)]
                let tuples = Array(repeating: tuple, count: slice.count).joined(separator: ", ")
                // A number already known keeps its row: importing a stock file twice adds nothing.
                _ = try await connection.query(
                    "INSERT OR IGNORE INTO stock_numbers (\(columns.joined(separator: ", "))) VALUES " + tuples,
                    slice.flatMap { NumberRows.stockValues($0, now: now) }.map(\.sqlite)
                )
                added += Int(try await connection.query("SELECT changes() AS n").first?.optionalInt("n") ?? 0)
            }
            return added
        }
    }

    func available(_ filter: StockFilter) async throws -> (numbers: [StockNumber], total: Int) {
        let (filterSQL, binds) = NumberRows.stockFilter(filter)
        let from = " FROM stock_numbers" + filterSQL
        return try await engine.transaction { connection in
            let rows = try await connection.query(
                "SELECT \(NumberRows.stockColumns)" + from + " ORDER BY digits LIMIT ? OFFSET ?",
                (binds + [.int(max(0, filter.limit)), .int(max(0, filter.offset))]).map(\.sqlite)
            )
            let total = try await connection.query("SELECT COUNT(*) AS n" + from, binds.map(\.sqlite)).first?.optionalInt("n") ?? 0
            return (try rows.map(NumberRows.stockNumber), Int(total))
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
        try await engine.transaction { connection in
            guard try await !connection.query("SELECT id FROM accounts WHERE id = ?", [.int(request.accountID)]).isEmpty else {
                throw NumberError.unknownAccount(request.accountID)
            }
            let numbers = try await Self.pick(request.selection, on: connection)
            var rented: [(subscription: Subscription, postings: [LedgerPosting])] = []
            let paidUntil = BillingMonth.start(anchor: now, index: 1)
            let columns = NumberRows.subscriptionInsertColumns
            let insert =
                "INSERT INTO subscriptions (\(columns.joined(separator: ", "))) VALUES ("
                + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ") RETURNING id"
            for number in numbers {
                let price = try fees(number)
                let rows = try await connection.query(
                    insert,
                    NumberRows.subscriptionValues(accountID: request.accountID, number: number, fees: price, now: now, paidUntil: paidUntil)
                        .map(\.sqlite)
                )
                guard let id = rows.first?.optionalInt("id") else { throw StoreError.corrupt("subscription insert returned no id") }
                rented.append(NumberRows.rental(id: id, accountID: request.accountID, number: number, fees: price, now: now, paidUntil: paidUntil))
            }
            let outcomes = try await SQLiteLedgerRepository.post(rented.flatMap(\.postings), now: now, on: connection)
            return try SubscriptionBilling.rented(rented, outcomes: outcomes)
        }
    }

    /// The numbers a rental takes, all in stock now, or the reason it cannot be made.
    static func pick(_ selection: RentalRequest.Selection, on connection: SQLiteConnection) async throws -> [StockNumber] {
        switch selection {
        case .numbers(let numbers):
            guard (1...RentalRequest.maxCount).contains(numbers.count) else { throw NumberError.invalidCount(numbers.count) }
            var seen = Set<String>()
            var picked: [StockNumber] = []
            for number in numbers where seen.insert(number.digits).inserted {
                let rows = try await connection.query(
                    "SELECT \(NumberRows.stockColumns) FROM stock_numbers WHERE digits = ? AND \(NumberRows.inStock)",
                    [.text(number.digits)]
                )
                guard let row = rows.first else { throw NumberError.notInStock(number.e164) }
                picked.append(try NumberRows.stockNumber(row))
            }
            return picked
        case .count(let count, let country, let category, let regionCode):
            guard (1...RentalRequest.maxCount).contains(count) else { throw NumberError.invalidCount(count) }
            var sql = "SELECT \(NumberRows.stockColumns) FROM stock_numbers WHERE country = ? AND category = ? AND \(NumberRows.inStock)"
            var binds: [SQLiteData] = [.text(country), .text(category)]
            if let regionCode {
                sql += " AND region_code = ?"
                binds.append(.text(regionCode))
            }
            let rows = try await connection.query(sql + " ORDER BY digits LIMIT ?", binds + [.int(count)])
            guard rows.count == count else { throw NumberError.notEnoughInStock(wanted: count, available: rows.count) }
            return try rows.map(NumberRows.stockNumber)
        }
    }

    func subscriptions(_ query: SubscriptionQuery) async throws -> (subscriptions: [Subscription], total: Int) {
        let (filter, binds) = NumberRows.subscriptionFilter(query, among: SubscriptionBilling.inList)
        return try await engine.transaction { connection in
            let rows = try await connection.query(
                NumberRows.subscriptionColumns + filter + " ORDER BY subscriptions.id LIMIT ? OFFSET ?",
                (binds + [.int(max(0, query.limit)), .int(max(0, query.offset))]).map(\.sqlite)
            )
            let total =
                try await connection.query("SELECT COUNT(*) AS n " + NumberRows.subscriptionsJoined + filter, binds.map(\.sqlite)).first?
                .optionalInt("n") ?? 0
            return (try rows.map { try NumberRows.subscription($0).subscription }, Int(total))
        }
    }

    func cancel(accountID: Int64, subscriptionIDs: [Int64], now: Instant) async throws -> [Int64] {
        try await engine.transaction { connection in
            var changed: [Int64] = []
            for id in Set(subscriptionIDs).sorted() {
                let rows = try await connection.query("SELECT account_id, state FROM subscriptions WHERE id = ?", [.int(id)])
                guard let row = rows.first, try row.int("account_id") == accountID else { throw NumberError.notFound(id) }
                guard let (sql, binds) = try SubscriptionBilling.cancellation(table: "subscriptions", id: id, state: try row.text("state"), now: now)
                else { continue }
                _ = try await connection.query(sql, binds.map(\.sqlite))
                changed.append(id)
            }
            return changed
        }
    }
}
