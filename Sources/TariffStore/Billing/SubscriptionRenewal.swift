import TariffCore

/// Renewing a subscription, whichever table holds it (rented numbers, SIP registrations and
/// plans) and whichever engine: the periods, the charges, suspension and resumption are the
/// same for all of them. Each engine reads the due ones, runs the transactions and posts the
/// charges; what a renewal decides and writes is here.
enum SubscriptionRenewal {
    /// How many due subscriptions one transaction renews: a large run never holds its locks long.
    static let pageSize = 200

    /// What renewing one subscription needs to know of it.
    struct Target {
        /// The table that holds it, with `state`, `anchor`, `paid_until` and `ended_at` columns.
        let table: String
        let id: Int64
        let accountID: Int64
        let state: Subscription.State
        /// Where its monthly periods are counted from.
        let anchor: Instant
        let paidUntil: Instant
        /// The units each paid period grants (a plan's; none for anything else).
        let includes: [Allowance]
        /// The monthly fee of the period from `start` to `end`.
        let charge: (_ start: Instant, _ end: Instant, _ note: String) -> LedgerPosting
    }

    /// Brings one due subscription up to `now`, in `transaction`: every period that started by
    /// then charged in order (a server down across two renewals charges both), or the
    /// subscription suspended at the first it cannot pay.
    static func renew(_ target: Target, now: Instant, report: inout RenewalReport, on transaction: some RenewalTransaction) async throws {
        let id = target.id
        let table = target.table
        switch target.state {
        case .ended: return
        case .cancelled:
            try await transaction.execute(
                "UPDATE \(table) SET state = 'ended', ended_at = ? WHERE id = ?",
                [.int(target.paidUntil.secondsSince1970), .int(id)]
            )
            report.ended += 1
        case .active:
            var start = target.paidUntil
            while start <= now {
                let index = (BillingMonth.index(anchor: target.anchor, containing: start) ?? 0) + 1
                let end = BillingMonth.start(anchor: target.anchor, index: index)
                switch try await transaction.post(target.charge(start, end, ""), now: now) {
                case .posted: report.charged += 1
                case .repeated, nil: break
                case .refused:
                    try await transaction.execute("UPDATE \(table) SET state = 'suspended' WHERE id = ?", [.int(id)])
                    report.suspended += 1
                    return
                }
                try await grant(target, from: start, to: end, on: transaction)
                try await transaction.execute("UPDATE \(table) SET paid_until = ? WHERE id = ?", [.int(end.secondsSince1970), .int(id)])
                start = end
            }
        case .suspended:
            // Resumed from now, with periods counted from now: the time it was suspended is
            // not charged.
            let end = BillingMonth.start(anchor: now, index: 1)
            guard case .posted = try await transaction.post(target.charge(now, end, "resumed"), now: now) else { return }
            try await grant(target, from: now, to: end, on: transaction)
            try await transaction.execute(
                "UPDATE \(table) SET state = 'active', anchor = ?, paid_until = ? WHERE id = ?",
                [.int(now.secondsSince1970), .int(end.secondsSince1970), .int(id)]
            )
            report.charged += 1
            report.resumed += 1
        }
    }

    private static func grant(_ target: Target, from start: Instant, to end: Instant, on transaction: some RenewalTransaction) async throws {
        guard !target.includes.isEmpty else { return }
        try await transaction.grant(
            ServiceSubscriptionRows.allowanceValues(
                subscriptionID: target.id,
                accountID: target.accountID,
                includes: target.includes,
                periodStart: start,
                periodEnd: end
            )
        )
    }
}

/// The transaction a renewal runs in, on its engine.
protocol RenewalTransaction {
    /// Posts one charge in this transaction (nil when the ledger answered nothing).
    func post(_ posting: LedgerPosting, now: Instant) async throws -> PostingOutcome?
    func execute(_ sql: String, _ binds: [StoredValue]) async throws
    /// Stores a paid period's included units (rows of `ServiceSubscriptionRows.allowanceInsertColumns`),
    /// each once: a period granted before keeps its rows, and what was used of them.
    func grant(_ allowances: [[StoredValue]]) async throws
}

extension RenewalReport {
    mutating func add(_ other: RenewalReport) {
        charged += other.charged
        suspended += other.suspended
        resumed += other.resumed
        ended += other.ended
    }
}
