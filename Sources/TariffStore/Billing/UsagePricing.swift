public import TariffCore

/// Checked usage records turned into the charges to post, the same way for every channel (the
/// native routes and `tariff usage import`): inbound ones only on numbers the account held
/// then, each priced when it occurred and converted at the rates in force then.
public enum UsagePricing {
    public static func postings(
        for records: [Result<UsageRecord, UsageProblem>],
        account: Account,
        book: PricedBook,
        exchange: ExchangeRateHistory,
        numbers: any NumberRepository,
        subscriptions: (any ServiceSubscriptionRepository)? = nil,
        now: Instant? = nil
    ) async throws -> [Result<LedgerPosting, UsageProblem>] {
        let checked = records.compactMap { try? $0.get() }
        let holders = try await numbers.inboundHolders(of: checked, accountID: account.id)
        // A package's next period is charged and its units granted before usage in it draws on
        // them, rather than whenever the renewal service next runs.
        if let subscriptions, let now, checked.contains(where: { $0.service != nil }) {
            _ = try await subscriptions.renew(accountID: account.id, now: now)
        }
        return records.map { checked in
            checked.flatMap { record in
                Result { () throws(UsageProblem) in
                    try record.checkHeld(by: record.number.flatMap { holders[$0.digits] } ?? [])
                    return try record.posting(
                        accountID: account.id,
                        currency: account.currency,
                        book: book,
                        exchange: exchange.table(at: record.occurredAt)
                    )
                }
            }
        }
    }
}
