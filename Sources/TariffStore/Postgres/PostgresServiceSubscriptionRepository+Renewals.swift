import TariffCore

extension PostgresServiceSubscriptionRepository {
    func renew(now: Instant) async throws -> RenewalReport { try await renew(now: now, only: nil) }

    func renew(accountID: Int64, now: Instant) async throws -> RenewalReport {
        // Usage charging asks before every charge: almost always nothing is due, and a read
        // says so without a transaction or a lock.
        let due = try await engine.select(
            "SELECT id FROM service_subscriptions WHERE account_id = ? AND state <> 'ended' AND paid_until <= ? LIMIT 1",
            [.int(accountID), .int(now.secondsSince1970)]
        ) { try $0.int("id") }
        guard !due.isEmpty else { return RenewalReport() }
        return try await renew(now: now, only: accountID)
    }

    /// As numbers are renewed (safe on every node at once: see `PostgresSubscriptionRenewal`),
    /// with each paid period's included units granted once.
    ///
    /// One account's renewal waits for a renewal of its subscriptions under way elsewhere
    /// rather than passing over them: usage charging runs it so that a charge made next draws
    /// on the new period's units, which must be committed by then. Once the other commits, a
    /// row it renewed is no longer due and is left out.
    private func renew(now: Instant, only accountID: Int64?) async throws -> RenewalReport {
        let account = accountID == nil ? "" : " AND account_id = ?"
        let lock = accountID == nil ? "FOR UPDATE SKIP LOCKED" : "FOR UPDATE"
        let sql =
            ServiceSubscriptionRows.columns + " WHERE state <> 'ended' AND paid_until <= ? AND id > ?" + account
            + " ORDER BY id LIMIT \(SubscriptionRenewal.pageSize) " + lock
        return try await PostgresSubscriptionRenewal.run(on: engine, now: now) { after in
            let binds: [StoredValue] = [.int(now.secondsSince1970), .int(after)] + (accountID.map { [.int($0)] } ?? [])
            return (sql, binds)
        } target: {
            try ServiceSubscriptionRows.renewal($0)
        }
    }
}
