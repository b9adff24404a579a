import SQLiteNIO
import TariffCore

extension SQLiteNumberRepository {
    func renew(now: Instant) async throws -> RenewalReport {
        var report = RenewalReport()
        var after: Int64 = 0
        // A page at a time, each in its own transaction, so that a large run never holds the
        // write lock for long; the cursor moves on even past subscriptions left suspended.
        while true {
            let cursor = after
            let (page, last) = try await engine.transaction { connection in
                let rows = try await connection.query(
                    Self.subscriptionColumns
                        + " WHERE state <> 'ended' AND paid_until <= ? AND subscriptions.id > ? ORDER BY subscriptions.id LIMIT 200",
                    [.int(now.secondsSince1970), .int(cursor)]
                )
                var report = RenewalReport()
                var last: Int64?
                for row in rows {
                    let (subscription, anchor) = try Self.subscription(row)
                    last = subscription.id
                    let explanation = try row.optionalText("monthly_explanation").map(SQLiteLedgerRepository.decodeExplanation)
                    try await Self.renew(subscription, anchor: anchor, explanation: explanation, now: now, report: &report, on: connection)
                }
                return (report, last)
            }
            report.charged += page.charged
            report.suspended += page.suspended
            report.resumed += page.resumed
            report.ended += page.ended
            guard let last else { return report }
            after = last
        }
    }

    /// Brings one due subscription up to `now`: every period that started by then charged in
    /// order (a server down across two renewals charges both), or the subscription suspended at
    /// the first it cannot pay.
    static func renew(
        _ subscription: Subscription,
        anchor: Instant,
        explanation: ChargeExplanation?,
        now: Instant,
        report: inout RenewalReport,
        on connection: SQLiteConnection
    ) async throws {
        let id = subscription.id
        switch subscription.state {
        case .ended: return
        case .cancelled:
            _ = try await connection.query(
                "UPDATE subscriptions SET state = 'ended', ended_at = ? WHERE id = ?",
                [.int(subscription.paidUntil.secondsSince1970), .int(id)]
            )
            report.ended += 1
        case .active:
            var start = subscription.paidUntil
            while start <= now {
                let index = (BillingMonth.index(anchor: anchor, containing: start) ?? 0) + 1
                let end = BillingMonth.start(anchor: anchor, index: index)
                switch try await SQLiteLedgerRepository.post(
                    [monthlyCharge(subscription, start: start, end: end, note: "", explanation: explanation)],
                    now: now,
                    on: connection
                ).first {
                case .posted: report.charged += 1
                case .repeated, nil: break
                case .refused:
                    _ = try await connection.query("UPDATE subscriptions SET state = 'suspended' WHERE id = ?", [.int(id)])
                    report.suspended += 1
                    return
                }
                _ = try await connection.query("UPDATE subscriptions SET paid_until = ? WHERE id = ?", [.int(end.secondsSince1970), .int(id)])
                start = end
            }
        case .suspended:
            // Resumed from now, with periods counted from now: the time it was suspended is
            // not charged.
            let end = BillingMonth.start(anchor: now, index: 1)
            guard
                case .posted = try await SQLiteLedgerRepository.post(
                    [monthlyCharge(subscription, start: now, end: end, note: "resumed", explanation: explanation)],
                    now: now,
                    on: connection
                ).first
            else { return }
            _ = try await connection.query(
                "UPDATE subscriptions SET state = 'active', anchor = ?, paid_until = ? WHERE id = ?",
                [.int(now.secondsSince1970), .int(end.secondsSince1970), .int(id)]
            )
            report.charged += 1
            report.resumed += 1
        }
    }
}
