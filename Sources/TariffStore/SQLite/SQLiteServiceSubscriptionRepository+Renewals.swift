import TariffCore

extension SQLiteServiceSubscriptionRepository {
    func renew(now: Instant) async throws -> RenewalReport { try await renew(now: now, only: nil) }

    func renew(accountID: Int64, now: Instant) async throws -> RenewalReport {
        // Usage charging asks before every charge: almost always nothing is due, and a read
        // says so without taking the write lock.
        let due = try await engine.select(
            "SELECT id FROM service_subscriptions WHERE account_id = ? AND state <> 'ended' AND paid_until <= ? LIMIT 1",
            [.int(accountID), .int(now.secondsSince1970)]
        ) { try $0.int("id") }
        guard !due.isEmpty else { return RenewalReport() }
        return try await renew(now: now, only: accountID)
    }

    /// As numbers are renewed, with each paid period's included units granted once.
    private func renew(now: Instant, only accountID: Int64?) async throws -> RenewalReport {
        try await SQLiteSubscriptionRenewal.run(on: engine, now: now) { after in
            (
                ServiceSubscriptionRows.columns + " WHERE state <> 'ended' AND paid_until <= ? AND id > ?"
                    + (accountID == nil ? "" : " AND account_id = ?") + " ORDER BY id LIMIT \(SubscriptionRenewal.pageSize)",
                [.int(now.secondsSince1970), .int(after)] + (accountID.map { [.int($0)] } ?? [])
            )
        } target: {
            try ServiceSubscriptionRows.renewal($0)
        }
    }
}
