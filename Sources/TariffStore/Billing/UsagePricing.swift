public import TariffCore

/// Checked usage records turned into the charges to post, the same way for every channel (the
/// native routes and `tariff usage import`): inbound ones only on numbers the account held
/// then, each priced when it occurred and converted at the rates in force then.
public enum UsagePricing {
    public static func postings(
        for records: [Result<UsageRecord, UsageProblem>],
        account: Account,
        book: RateBook,
        exchange: ExchangeRateHistory,
        numbers: any NumberRepository
    ) async throws -> [Result<LedgerPosting, UsageProblem>] {
        let holders = try await numbers.inboundHolders(of: records.compactMap { try? $0.get() }, accountID: account.id)
        return records.map { checked in
            checked.flatMap { record in
                Result { () throws(UsageProblem) in
                    try record.checkHeld(by: holders[record.number.digits] ?? [])
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
