public import TariffCore

extension NumberRepository {
    /// The account's subscriptions, ended ones included, of the numbers inbound `records`
    /// were received on, by digits: one read for a whole batch.
    public func inboundHolders(of records: [UsageRecord], accountID: Int64) async throws -> [String: [Subscription]] {
        let digits = Set(records.filter { $0.product?.isInbound == true }.compactMap(\.number?.digits))
        guard !digits.isEmpty else { return [:] }
        var held: [Subscription] = []
        let sorted = digits.sorted()
        // A few hundred numbers a read: far below any engine's limit on a statement's parameters.
        for start in stride(from: 0, to: sorted.count, by: 500) {
            let slice = Array(sorted[start..<min(sorted.count, start + 500)])
            held += try await subscriptions(SubscriptionQuery(accountID: accountID, numbers: slice, limit: Int(Int32.max))).subscriptions
        }
        return Dictionary(grouping: held, by: \.number.number.digits)
    }
}
