/// Every stored exchange rate, with the table in force at one instant ready: what charges
/// for usage convert with, since usage is converted at the rates in force when it occurred.
public struct ExchangeRateHistory: Sendable {
    /// The rates in force at the instant the history was built for.
    public let table: ExchangeRateTable
    /// Every stored rate, for conversions on another day.
    public let rates: [ExchangeRate]
    /// The date of the earliest rate dated after that instant: when `table` stops being current.
    public let validUntil: Instant?
    /// The date of the newest rate in `table` (nil: no rates).
    private let newestInForce: Instant?

    public init(rates: [ExchangeRate], now: Instant) {
        table = ExchangeRateTable(rates: rates, asOf: now)
        self.rates = rates
        validUntil = rates.map(\.date).filter { $0 > now }.min()
        newestInForce = rates.map(\.date).filter { $0 <= now }.max()
    }

    /// The rates in force at `instant`: the held table itself when no stored rate is dated
    /// between the two (the usual case: usage from today), else one built from every rate,
    /// which takes time in proportion to them.
    public func table(at instant: Instant) -> ExchangeRateTable {
        let noNewerRate = newestInForce.map { $0 <= instant } ?? true
        let noLaterRate = validUntil.map { instant < $0 } ?? true
        return noNewerRate && noLaterRate ? table : ExchangeRateTable(rates: rates, asOf: instant)
    }
}
