import TariffCore

/// What renting a number and subscribing to a template share, on either engine: their charges'
/// outcomes, cancellation, and how their queries match lists.
enum SubscriptionBilling {
    /// A condition that `column` is one of `values` (all ints or all text), with its values.
    /// Each engine says it its own way: SQLite binds every value, PostgreSQL binds the list as
    /// one array, since a list from a request may be longer than its limit on bound values.
    typealias Among = (_ column: String, _ values: [StoredValue]) -> (sql: String, binds: [StoredValue])

    /// `column IN (?, ?, …)`, a value bound for each.
    static func inList(_ column: String, _ values: [StoredValue]) -> (sql: String, binds: [StoredValue]) {
        ("\(column) IN (\(values.map { _ in "?" }.joined(separator: ", ")))", values)
    }

    /// The transactions of charges posted together, in order, or `NumberError.insufficientFunds`
    /// at the first refused: thrown so that the caller's transaction rolls back and nothing is
    /// rented or subscribed unpaid.
    static func transactions(_ outcomes: [PostingOutcome]) throws -> [LedgerTransaction] {
        try outcomes.map { outcome in
            switch outcome {
            case .posted(let transaction), .repeated(let transaction): transaction
            case .refused(let error): throw NumberError.insufficientFunds(error)
            }
        }
    }

    /// Rentals with the transactions that paid them, from the outcomes of all their postings
    /// posted together in order.
    static func rented(
        _ rentals: [(subscription: Subscription, postings: [LedgerPosting])],
        outcomes: [PostingOutcome]
    ) throws
        -> [RentedSubscription]
    {
        let transactions = try transactions(outcomes)
        var result: [RentedSubscription] = []
        var start = 0
        for (subscription, postings) in rentals {
            result.append(RentedSubscription(subscription: subscription, transactions: Array(transactions[start..<start + postings.count])))
            start += postings.count
        }
        return result
    }

    /// The statement that cancels a subscription of `table` in `state`, or nil when it is
    /// cancelled or ended already.
    static func cancellation(table: String, id: Int64, state: String, now: Instant) throws -> (sql: String, binds: [StoredValue])? {
        switch Subscription.State(rawValue: state) {
        case .active: ("UPDATE \(table) SET state = 'cancelled' WHERE id = ?", [.int(id)])
        // Nothing was paid for the time ahead: what it holds is given up now.
        case .suspended: ("UPDATE \(table) SET state = 'ended', ended_at = ? WHERE id = ?", [.int(now.secondsSince1970), .int(id)])
        case .cancelled, .ended: nil
        case nil: throw StoreError.corrupt("\(String(table.dropLast()).replacing("_", with: " ")) \(id) state")
        }
    }

    /// The monthly fee of one period, whatever is subscribed: `label` names it in the
    /// description, `reference` keeps each period charged once.
    static func monthlyCharge(
        accountID: Int64,
        subscriptionID: Int64,
        monthly: Amount,
        label: String,
        reference: String,
        start: Instant,
        end: Instant,
        note: String,
        explanation: ChargeExplanation?
    ) -> LedgerPosting {
        LedgerPosting(
            accountID: accountID,
            type: .subscriptionCharge,
            amount: Amount(units: -monthly.units),
            performedAt: start,
            description: "monthly fee \(label), \(start.date) to \(end.date)" + (note.isEmpty ? "" : " (\(note))"),
            reference: reference,
            fingerprint: "\(subscriptionID)|\(start.secondsSince1970)",
            explanation: explanation?.renewed(at: start)
        )
    }
}
