import TariffCore

extension SQLiteNumberRepository {
    func renew(now: Instant) async throws -> RenewalReport {
        try await SQLiteSubscriptionRenewal.run(on: engine, now: now) { after in
            (
                NumberRows.subscriptionColumns
                    + " WHERE state <> 'ended' AND paid_until <= ? AND subscriptions.id > ? ORDER BY subscriptions.id"
                    + " LIMIT \(SubscriptionRenewal.pageSize)",
                [.int(now.secondsSince1970), .int(after)]
            )
        } target: {
            try NumberRows.renewal($0)
        }
    }
}
