import TariffCore

/// SIP registrations and plans on PostgreSQL, where several nodes subscribe and renew at once.
struct PostgresServiceSubscriptionRepository: ServiceSubscriptionRepository {
    let engine: PostgresEngine

    func subscribe(_ request: ServiceSubscriptionRequest, now: Instant, fees: SubscriptionFees) async throws -> RentedServiceSubscription {
        try await engine.transaction { transaction in
            let isPlan = !request.terms.isSIPRegistration
            // A plan locks its account first, so that two subscriptions to plans of one type
            // take turns: the second finds the first's plan, as on SQLite, instead of both
            // finding none and the unique index (`one_plan_per_type`) refusing the second.
            // NO KEY UPDATE leaves the row free for the foreign keys others check against it.
            let found = try await transaction.select(
                "SELECT id FROM accounts WHERE id = ?" + (isPlan ? " FOR NO KEY UPDATE" : ""),
                [.int(request.accountID)]
            ) { try $0.int("id") }
            guard !found.isEmpty else { throw NumberError.unknownAccount(request.accountID) }
            if isPlan {
                // One plan of a type at a time: the same plan again is kept, another replaces it
                // now. Locked, so that a renewal of it under way finishes first.
                let held = try await transaction.select(
                    ServiceSubscriptionRows.heldPlans + " FOR UPDATE",
                    [.int(request.accountID), .text(request.terms.type)]
                ) { try ServiceSubscriptionRows.subscription($0).subscription }
                var balanceLocked = false
                for subscription in held {
                    if subscription.template == request.template, subscription.state == .active {
                        return RentedServiceSubscription(subscription: subscription, transactions: [])
                    }
                    if !balanceLocked {
                        // The balance before the allowances, in the ledger's order: a charge
                        // drawing on the units being ended waits, or is waited for, instead of
                        // the two deadlocking.
                        _ = try await PostgresLedgerRepository.lockBalances(of: [request.accountID], on: transaction)
                        balanceLocked = true
                    }
                    for (sql, binds) in zip(ServiceSubscriptionRows.endPlan, ServiceSubscriptionRows.endPlanValues(id: subscription.id, now: now)) {
                        try await transaction.execute(sql, binds)
                    }
                }
            }
            let paidUntil = BillingMonth.start(anchor: now, index: 1)
            let ids = try await transaction.select(
                ServiceSubscriptionRows.insert,
                ServiceSubscriptionRows.insertValues(request, fees: fees, now: now, paidUntil: paidUntil)
            ) { try $0.int("id") }
            guard let id = ids.first else { throw StoreError.corrupt("service subscription insert returned no id") }
            let (subscription, postings) = ServiceSubscriptionRows.subscribed(id: id, request, fees: fees, now: now, paidUntil: paidUntil)
            let transactions = try SubscriptionBilling.transactions(try await PostgresLedgerRepository.post(postings, now: now, on: transaction))
            try await Self.grant(
                ServiceSubscriptionRows.allowanceValues(
                    subscriptionID: id,
                    accountID: request.accountID,
                    includes: subscription.includes,
                    periodStart: now,
                    periodEnd: paidUntil
                ),
                on: transaction
            )
            return RentedServiceSubscription(subscription: subscription, transactions: transactions)
        }
    }

    func subscriptions(_ query: ServiceSubscriptionQuery) async throws -> [ServiceSubscription] {
        guard let (filter, binds) = ServiceSubscriptionRows.filter(query, among: SubscriptionBilling.anyOf) else { return [] }
        return try await engine.select(ServiceSubscriptionRows.columns + filter + " ORDER BY id", binds) {
            try ServiceSubscriptionRows.subscription($0).subscription
        }
    }

    func cancel(accountID: Int64, ids: [Int64], now: Instant) async throws -> [Int64] {
        try await engine.transaction { transaction in
            var changed: [Int64] = []
            // Locked in id order, and read once locked: a renewal of one under way (which may
            // suspend it) finishes first, and its outcome decides what cancelling does.
            for id in Set(ids).sorted() {
                let rows = try await transaction.select("SELECT account_id, state FROM service_subscriptions WHERE id = ? FOR UPDATE", [.int(id)]) {
                    (account: try $0.int("account_id"), state: try $0.text("state"))
                }
                guard let row = rows.first, row.account == accountID else { throw NumberError.notFound(id) }
                guard let (sql, binds) = try SubscriptionBilling.cancellation(table: "service_subscriptions", id: id, state: row.state, now: now)
                else { continue }
                try await transaction.execute(sql, binds)
                changed.append(id)
            }
            return changed
        }
    }

    func allowances(accountID: Int64, at: Instant) async throws -> [AllowanceBalance] {
        // Product and variant in byte order, as SQLite orders text, whatever the database's collation.
        try await engine.select(
            ServiceSubscriptionRows.allowances + " ORDER BY allowances.subscription_id, product COLLATE \"C\", variant COLLATE \"C\"",
            [.int(accountID), .int(at.secondsSince1970), .int(at.secondsSince1970)],
            decode: ServiceSubscriptionRows.allowance
        )
    }

    /// A period's included units, granted once: a second grant of the same period, by this node
    /// or another, adds nothing and leaves what was used of the first.
    static func grant(_ allowances: [[StoredValue]], on transaction: PostgresTransaction) async throws {
        try await transaction.insert(
            into: "allowances",
            columns: ServiceSubscriptionRows.allowanceInsertColumns,
            rows: allowances,
            onConflict: "(subscription_id, product, variant, period_start) DO NOTHING"
        )
    }
}
