import SQLiteNIO
import TariffCore

struct SQLiteNumberRepository: NumberRepository {
    let engine: SQLiteEngine

    /// A stock row not held by a live subscription.
    static let inStock = "NOT EXISTS (SELECT 1 FROM subscriptions WHERE subscriptions.number_id = stock_numbers.id AND state <> 'ended')"
    static let stockColumns = "stock_numbers.id AS number_id, digits, country, category, region_code"
    static let subscriptionColumns = """
        SELECT subscriptions.id, account_id, state, started_at, anchor, paid_until, installation, monthly, ended_at, monthly_explanation,
        \(stockColumns) FROM subscriptions JOIN stock_numbers ON stock_numbers.id = subscriptions.number_id
        """

    func addToStock(_ numbers: [NewStockNumber], now: Instant) async throws -> Int {
        guard !numbers.isEmpty else { return 0 }
        return try await engine.transaction { connection in
            var added = 0
            for start in stride(from: 0, to: numbers.count, by: 500) {
                let slice = numbers[start..<min(numbers.count, start + 500)]
                let tuples = Array(repeating: "(?, ?, ?, ?, ?)", count: slice.count).joined(separator: ", ")
                var binds: [SQLiteData] = []
                for number in slice {
                    binds += [
                        .text(number.number.digits), .text(number.country), .text(number.category), .optional(number.regionCode),
                        .int(now.secondsSince1970),
                    ]
                }
                // A number already known keeps its row: importing a stock file twice adds nothing.
                _ = try await connection.query(
                    "INSERT OR IGNORE INTO stock_numbers (digits, country, category, region_code, added_at) VALUES " + tuples,
                    binds
                )
                added += Int(try await connection.query("SELECT changes() AS n").first?.optionalInt("n") ?? 0)
            }
            return added
        }
    }

    func available(_ filter: StockFilter) async throws -> (numbers: [StockNumber], total: Int) {
        var conditions = [Self.inStock]
        var binds: [SQLiteData] = []
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
            conditions.append("substr(digits, 1, ?) = ?")
            binds += [.int(prefix.count), .text(prefix)]
        }
        let filterSQL = " FROM stock_numbers WHERE " + conditions.joined(separator: " AND ")
        let allBinds = binds
        return try await engine.transaction { connection in
            let rows = try await connection.query(
                "SELECT \(Self.stockColumns)" + filterSQL + " ORDER BY digits LIMIT ? OFFSET ?",
                allBinds + [.int(max(0, filter.limit)), .int(max(0, filter.offset))]
            )
            let total = try await connection.query("SELECT COUNT(*) AS n" + filterSQL, allBinds).first?.optionalInt("n") ?? 0
            return (try rows.map(Self.stockNumber), Int(total))
        }
    }

    func stockCounts() async throws -> [NumberPriceKey: Int] {
        let rows = try await engine.select(
            "SELECT country, category, region_code, COUNT(*) AS n FROM stock_numbers WHERE \(Self.inStock) GROUP BY country, category, region_code"
        ) { row in
            (
                NumberPriceKey(country: try row.text("country"), category: try row.text("category"), regionCode: row.optionalText("region_code")),
                Int(try row.int("n"))
            )
        }
        return Dictionary(rows, uniquingKeysWith: +)
    }

    func rent(
        _ request: RentalRequest,
        now: Instant,
        fees: @Sendable (StockNumber) throws -> SubscriptionFees
    ) async throws -> [RentedSubscription] {
        try await engine.transaction { connection in
            guard try await !connection.query("SELECT id FROM accounts WHERE id = ?", [.int(request.accountID)]).isEmpty else {
                throw NumberError.unknownAccount(request.accountID)
            }
            let numbers = try await Self.pick(request.selection, on: connection)
            var rented: [(Subscription, [LedgerPosting])] = []
            let paidUntil = BillingMonth.start(anchor: now, index: 1)
            for number in numbers {
                let price = try fees(number)
                let rows = try await connection.query(
                    """
                    INSERT INTO subscriptions (account_id, number_id, state, started_at, anchor, paid_until, installation, monthly,
                        monthly_explanation)
                    VALUES (?, ?, 'active', ?, ?, ?, ?, ?, ?) RETURNING id
                    """,
                    [
                        .int(request.accountID), .int(number.id), .int(now.secondsSince1970), .int(now.secondsSince1970),
                        .int(paidUntil.secondsSince1970), .int(price.installation.units), .int(price.monthly.units),
                        .optional(price.monthlyExplanation?.jsonText),
                    ]
                )
                guard let id = rows.first?.optionalInt("id") else { throw StoreError.corrupt("subscription insert returned no id") }
                let subscription = Subscription(
                    id: id,
                    accountID: request.accountID,
                    number: number,
                    state: .active,
                    startedAt: now,
                    paidUntil: paidUntil,
                    installation: price.installation,
                    monthly: price.monthly,
                    endedAt: nil
                )
                var postings: [LedgerPosting] = []
                if price.installation.units != 0 {
                    postings.append(
                        LedgerPosting(
                            accountID: request.accountID,
                            type: .subscriptionInstallationCharge,
                            amount: Amount(units: -price.installation.units),
                            performedAt: now,
                            description: "installation fee \(number.number.e164) (\(price.note))",
                            reference: "subscription:\(id):installation",
                            explanation: price.installationExplanation
                        )
                    )
                }
                postings.append(Self.monthlyCharge(subscription, start: now, end: paidUntil, note: price.note, explanation: price.monthlyExplanation))
                rented.append((subscription, postings))
            }
            let outcomes = try await SQLiteLedgerRepository.post(rented.flatMap(\.1), now: now, on: connection)
            var transactions: [LedgerTransaction] = []
            for outcome in outcomes {
                switch outcome {
                case .posted(let transaction), .repeated(let transaction): transactions.append(transaction)
                // Thrown, so that the transaction rolls back: no number leaves stock unpaid.
                case .refused(let error): throw NumberError.insufficientFunds(error)
                }
            }
            var result: [RentedSubscription] = []
            var start = 0
            for (subscription, postings) in rented {
                result.append(RentedSubscription(subscription: subscription, transactions: Array(transactions[start..<start + postings.count])))
                start += postings.count
            }
            return result
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
                    "SELECT \(stockColumns) FROM stock_numbers WHERE digits = ? AND \(inStock)",
                    [.text(number.digits)]
                )
                guard let row = rows.first else { throw NumberError.notInStock(number.e164) }
                picked.append(try stockNumber(row))
            }
            return picked
        case .count(let count, let country, let category, let regionCode):
            guard (1...RentalRequest.maxCount).contains(count) else { throw NumberError.invalidCount(count) }
            var sql = "SELECT \(stockColumns) FROM stock_numbers WHERE country = ? AND category = ? AND \(inStock)"
            var binds: [SQLiteData] = [.text(country), .text(category)]
            if let regionCode {
                sql += " AND region_code = ?"
                binds.append(.text(regionCode))
            }
            let rows = try await connection.query(sql + " ORDER BY digits LIMIT ?", binds + [.int(count)])
            guard rows.count == count else { throw NumberError.notEnoughInStock(wanted: count, available: rows.count) }
            return try rows.map(stockNumber)
        }
    }

    static func monthlyCharge(
        _ subscription: Subscription,
        start: Instant,
        end: Instant,
        note: String,
        explanation: ChargeExplanation?
    ) -> LedgerPosting {
        LedgerPosting(
            accountID: subscription.accountID,
            type: .subscriptionCharge,
            amount: Amount(units: -subscription.monthly.units),
            performedAt: start,
            description: "monthly fee \(subscription.number.number.e164), \(start.date) to \(end.date)" + (note.isEmpty ? "" : " (\(note))"),
            reference: Subscription.chargeReference(subscription: subscription.id, periodStart: start),
            fingerprint: "\(subscription.id)|\(start.secondsSince1970)",
            explanation: explanation?.renewed(at: start)
        )
    }

    func subscriptions(_ query: SubscriptionQuery) async throws -> (subscriptions: [Subscription], total: Int) {
        var conditions: [String] = []
        var binds: [SQLiteData] = []
        if let account = query.accountID {
            conditions.append("account_id = ?")
            binds.append(.int(account))
        }
        if let ids = query.ids {
            conditions.append("subscriptions.id IN (\(ids.map { _ in "?" }.joined(separator: ", ")))")
            binds += ids.map { .int($0) }
        }
        if let numberIDs = query.numberIDs {
            conditions.append("number_id IN (\(numberIDs.map { _ in "?" }.joined(separator: ", ")))")
            binds += numberIDs.map { .int($0) }
        }
        if let numbers = query.numbers {
            conditions.append("digits IN (\(numbers.map { _ in "?" }.joined(separator: ", ")))")
            binds += numbers.map { .text($0) }
        }
        if let states = query.states {
            conditions.append("state IN (\(states.map { _ in "?" }.joined(separator: ", ")))")
            binds += states.sorted { $0.rawValue < $1.rawValue }.map { .text($0.rawValue) }
        }
        if let country = query.country {
            conditions.append("country = ?")
            binds.append(.text(country))
        }
        if let category = query.category {
            conditions.append("category = ?")
            binds.append(.text(category))
        }
        if let from = query.renewalFrom {
            conditions.append("paid_until >= ?")
            binds.append(.int(from.secondsSince1970))
        }
        if let until = query.renewalUntil {
            conditions.append("paid_until < ?")
            binds.append(.int(until.secondsSince1970))
        }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let allBinds = binds
        return try await engine.transaction { connection in
            let rows = try await connection.query(
                Self.subscriptionColumns + filter + " ORDER BY subscriptions.id LIMIT ? OFFSET ?",
                allBinds + [.int(max(0, query.limit)), .int(max(0, query.offset))]
            )
            let total =
                try await connection.query(
                    "SELECT COUNT(*) AS n FROM subscriptions JOIN stock_numbers ON stock_numbers.id = subscriptions.number_id" + filter,
                    allBinds
                ).first?.optionalInt("n") ?? 0
            return (try rows.map { try Self.subscription($0).subscription }, Int(total))
        }
    }

    func cancel(accountID: Int64, subscriptionIDs: [Int64], now: Instant) async throws -> [Int64] {
        try await engine.transaction { connection in
            var changed: [Int64] = []
            for id in Set(subscriptionIDs).sorted() {
                let rows = try await connection.query("SELECT account_id, state FROM subscriptions WHERE id = ?", [.int(id)])
                guard let row = rows.first, try row.int("account_id") == accountID else { throw NumberError.notFound(id) }
                switch Subscription.State(rawValue: try row.text("state")) {
                case .active:
                    _ = try await connection.query("UPDATE subscriptions SET state = 'cancelled' WHERE id = ?", [.int(id)])
                    changed.append(id)
                case .suspended:
                    // Nothing was paid for the time ahead: the number goes back to stock now.
                    _ = try await connection.query(
                        "UPDATE subscriptions SET state = 'ended', ended_at = ? WHERE id = ?",
                        [.int(now.secondsSince1970), .int(id)]
                    )
                    changed.append(id)
                case .cancelled, .ended: continue
                case nil: throw StoreError.corrupt("subscription \(id) state")
                }
            }
            return changed
        }
    }

    @Sendable static func stockNumber(_ row: SQLiteRow) throws -> StockNumber {
        let digits = try row.text("digits")
        guard let number = try? PhoneNumber(parsing: "+" + digits) else { throw StoreError.corrupt("stock number \(digits)") }
        return StockNumber(
            id: try row.int("number_id"),
            number: number,
            country: try row.text("country"),
            category: try row.text("category"),
            regionCode: row.optionalText("region_code")
        )
    }

    static func subscription(_ row: SQLiteRow) throws -> (subscription: Subscription, anchor: Instant) {
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
            endedAt: row.optionalInt("ended_at").map(Instant.init(secondsSince1970:))
        )
        return (subscription, Instant(secondsSince1970: try row.int("anchor")))
    }
}
