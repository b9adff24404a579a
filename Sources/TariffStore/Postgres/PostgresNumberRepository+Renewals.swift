import TariffCore

extension PostgresNumberRepository {
    /// Safe on every node at once: see `PostgresSubscriptionRenewal`. `OF subscriptions` leaves
    /// the stock rows unlocked, so that renewals never hold up a rental.
    func renew(now: Instant) async throws -> RenewalReport {
        try await PostgresSubscriptionRenewal.run(on: engine, now: now) { after in
            (
                NumberRows.subscriptionColumns
                    + " WHERE state <> 'ended' AND paid_until <= ? AND subscriptions.id > ? ORDER BY subscriptions.id"
                    + " LIMIT \(SubscriptionRenewal.pageSize) FOR UPDATE OF subscriptions SKIP LOCKED",
                [.int(now.secondsSince1970), .int(after)]
            )
        } target: {
            try NumberRows.renewal($0)
        }
    }
}
