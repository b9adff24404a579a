import SQLiteNIO
import TariffCore

struct SQLiteServiceSubscriptionRepository: ServiceSubscriptionRepository {
    let engine: SQLiteEngine

    func subscribe(_ request: ServiceSubscriptionRequest, now: Instant, fees: SubscriptionFees) async throws -> RentedServiceSubscription {
        try await engine.transaction { connection in
            guard try await !connection.query("SELECT id FROM accounts WHERE id = ?", [.int(request.accountID)]).isEmpty else {
                throw NumberError.unknownAccount(request.accountID)
            }
            if !request.terms.isSIPRegistration {
                // One plan of a type at a time: the same plan again is kept, another replaces it now.
                let held = try await connection.query(ServiceSubscriptionRows.heldPlans, [.int(request.accountID), .text(request.terms.type)])
                for row in held {
                    let (subscription, _) = try ServiceSubscriptionRows.subscription(row)
                    if subscription.template == request.template, subscription.state == .active {
                        return RentedServiceSubscription(subscription: subscription, transactions: [])
                    }
                    for (sql, binds) in zip(ServiceSubscriptionRows.endPlan, ServiceSubscriptionRows.endPlanValues(id: subscription.id, now: now)) {
                        _ = try await connection.query(sql, binds.map(\.sqlite))
                    }
                }
            }
            let paidUntil = BillingMonth.start(anchor: now, index: 1)
            let rows = try await connection.query(
                ServiceSubscriptionRows.insert,
                ServiceSubscriptionRows.insertValues(request, fees: fees, now: now, paidUntil: paidUntil).map(\.sqlite)
            )
            guard let id = rows.first?.optionalInt("id") else { throw StoreError.corrupt("service subscription insert returned no id") }
            let (subscription, postings) = ServiceSubscriptionRows.subscribed(id: id, request, fees: fees, now: now, paidUntil: paidUntil)
            let transactions = try SubscriptionBilling.transactions(try await SQLiteLedgerRepository.post(postings, now: now, on: connection))
            try await Self.grant(
                ServiceSubscriptionRows.allowanceValues(
                    subscriptionID: id,
                    accountID: request.accountID,
                    includes: subscription.includes,
                    periodStart: now,
                    periodEnd: paidUntil
                ),
                on: connection
            )
            return RentedServiceSubscription(subscription: subscription, transactions: transactions)
        }
    }

    func subscriptions(_ query: ServiceSubscriptionQuery) async throws -> [ServiceSubscription] {
        guard let (filter, binds) = ServiceSubscriptionRows.filter(query, among: SubscriptionBilling.inList) else { return [] }
        return try await engine.select(ServiceSubscriptionRows.columns + filter + " ORDER BY id", binds.map(\.sqlite)) {
            try ServiceSubscriptionRows.subscription($0).subscription
        }
    }

    func cancel(accountID: Int64, ids: [Int64], now: Instant) async throws -> [Int64] {
        try await engine.transaction { connection in
            var changed: [Int64] = []
            for id in Set(ids).sorted() {
                let rows = try await connection.query("SELECT account_id, state FROM service_subscriptions WHERE id = ?", [.int(id)])
                guard let row = rows.first, try row.int("account_id") == accountID else { throw NumberError.notFound(id) }
                guard
                    let (sql, binds) = try SubscriptionBilling.cancellation(
                        table: "service_subscriptions",
                        id: id,
                        state: try row.text("state"),
                        now: now
                    )
                else { continue }
                _ = try await connection.query(sql, binds.map(\.sqlite))
                changed.append(id)
            }
            return changed
        }
    }

    func allowances(accountID: Int64, at: Instant) async throws -> [AllowanceBalance] {
        try await engine.select(
            ServiceSubscriptionRows.allowances + " ORDER BY allowances.subscription_id, product, variant",
            [.int(accountID), .int(at.secondsSince1970), .int(at.secondsSince1970)],
            decode: ServiceSubscriptionRows.allowance
        )
    }

    /// A period's included units, granted once: a second grant of the same period adds nothing.
    static func grant(_ allowances: [[StoredValue]], on connection: SQLiteConnection) async throws {
        let columns = ServiceSubscriptionRows.allowanceInsertColumns
        let sql =
            "INSERT OR IGNORE INTO allowances (\(columns.joined(separator: ", "))) VALUES ("
            + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        for allowance in allowances {
            _ = try await connection.query(sql, allowance.map(\.sqlite))
        }
    }
}
