/// The exchange rates in force on a day, and conversion between any two currencies.
///
/// Sources quote rates against one base (the ECB: 1 EUR = x USD); a conversion between two
/// other currencies goes through a currency both are quoted against (the cross rate), and the
/// result is rounded once, at the ``Rounding`` the caller names.
public struct ExchangeRateTable: Sendable {
    /// The latest rate for each (base, quote) pair on or before the table's date.
    public let rates: [ExchangeRate]
    private let edges: [CurrencyCode: [CurrencyCode: Fraction]]
    /// The stored rate behind each edge (an inverse edge names the rate it inverts).
    private let sources: [CurrencyCode: [CurrencyCode: ExchangeRate]]

    /// Keeps, per pair, the latest rate dated on or before `asOf` (all of them when nil).
    public init(rates all: [ExchangeRate], asOf: Instant? = nil) {
        var latest: [[CurrencyCode]: ExchangeRate] = [:]
        for rate in all where asOf.map({ rate.date <= $0 }) ?? true {
            let key = [rate.base, rate.quote]
            if let kept = latest[key], kept.date > rate.date { continue }
            latest[key] = rate
        }
        rates = latest.values.sorted { ($0.base, $0.quote) < ($1.base, $1.quote) }
        var edges: [CurrencyCode: [CurrencyCode: Fraction]] = [:]
        var sources: [CurrencyCode: [CurrencyCode: ExchangeRate]] = [:]
        for rate in rates where rate.base != rate.quote {
            edges[rate.base, default: [:]][rate.quote] = rate.rate.fraction
            sources[rate.base, default: [:]][rate.quote] = rate
        }
        // The inverse direction only where the source did not quote that direction itself.
        for rate in rates where rate.base != rate.quote && edges[rate.quote]?[rate.base] == nil {
            edges[rate.quote, default: [:]][rate.base] = rate.rate.fraction.inverse
            sources[rate.quote, default: [:]][rate.base] = rate
        }
        self.edges = edges
        self.sources = sources
    }

    public var isEmpty: Bool { rates.isEmpty }

    /// The currencies that can be converted to or from.
    public var currencies: Set<CurrencyCode> { Set(edges.keys) }

    /// How many `to` one `from` buys, as an exact ratio: direct, inverse, or through one pivot.
    func factor(from: CurrencyCode, to: CurrencyCode) -> Fraction? { route(from: from, to: to)?.factor }

    /// The stored rates a conversion from `from` to `to` uses (none for one currency, one
    /// direct or inverted, two through a pivot), in the order applied; nil when none links them.
    /// What a charge records, so that its conversion can be checked by hand.
    public func ratesUsed(from: CurrencyCode, to: CurrencyCode) -> [ExchangeRate]? {
        guard let route = route(from: from, to: to) else { return nil }
        guard let pivot = route.pivot else { return from == to ? [] : sources[from]?[to].map { [$0] } }
        guard let first = sources[from]?[pivot], let second = sources[pivot]?[to] else { return nil }
        return [first, second]
    }

    /// The factor and the pivot it goes through (nil: direct or one currency). No allocation:
    /// every converted price of a catalog comes through here.
    private func route(from: CurrencyCode, to: CurrencyCode) -> (factor: Fraction, pivot: CurrencyCode?)? {
        if from == to { return (Fraction(numerator: 1, denominator: 1), nil) }
        if let direct = edges[from]?[to] { return (direct, nil) }
        guard let neighbours = edges[from] else { return nil }
        // Prefer the usual reference currencies as pivots, then any other, in a stable order.
        for pivot in [CurrencyCode.EUR, .USD] {
            if let first = neighbours[pivot], let second = edges[pivot]?[to], let product = first.times(second) { return (product, pivot) }
        }
        for pivot in neighbours.keys.sorted() where pivot != .EUR && pivot != .USD {
            if let first = neighbours[pivot], let second = edges[pivot]?[to], let product = first.times(second) { return (product, pivot) }
        }
        return nil
    }

    /// Converts `money` into `currency`, exact until the one rounding step named by `rounding`.
    public func convert(_ money: Money, to currency: CurrencyCode, rounding: Rounding = .conversion) throws(ConversionError) -> Money {
        guard money.currency != currency else { return money }
        guard let factor = factor(from: money.currency, to: currency) else {
            throw .noRate(from: money.currency, to: currency)
        }
        let step = Int128(Amount.powerOfTen(Amount.scale - rounding.decimals))
        let (numerator, overflow) = Int128(money.amount.units).multipliedReportingOverflow(by: factor.numerator)
        let (denominator, overflow2) = factor.denominator.multipliedReportingOverflow(by: step)
        guard !overflow, !overflow2 else { throw .overflow }
        let units = rounding.mode.divide(numerator, by: denominator) * step
        guard let exact = Int64(exactly: units) else { throw .overflow }
        return Money(Amount(units: exact), currency)
    }

    /// The rate `1 from = x to` as a decimal rounded to `decimals` places (for display and APIs).
    public func rate(from: CurrencyCode, to: CurrencyCode, decimals: Int = Amount.scale) -> Amount? {
        guard let factor = factor(from: from, to: to) else { return nil }
        // Rounded once, from the exact ratio (rounding to 8 decimals first could move a tie).
        let step = Int128(Amount.powerOfTen(Amount.scale - Rounding(decimals: decimals, mode: .halfEven).decimals))
        let (numerator, overflow) = factor.numerator.multipliedReportingOverflow(by: Int128(Amount.unitsPerWhole))
        let (denominator, overflow2) = factor.denominator.multipliedReportingOverflow(by: step)
        guard !overflow, !overflow2 else { return nil }
        guard let exact = Int64(exactly: RoundingMode.halfEven.divide(numerator, by: denominator) * step) else { return nil }
        return Amount(units: exact)
    }
}

/// Why an amount could not be converted: no rate links the two currencies on or before the
/// date, or the result does not fit an `Amount`. Never a guessed or rounded-away answer.
public enum ConversionError: Error, Equatable, Sendable, CustomStringConvertible {
    case noRate(from: CurrencyCode, to: CurrencyCode)
    case overflow

    public var description: String {
        switch self {
        case .noRate(let from, let to): "no exchange rate from \(from) to \(to): import one with `tariff fx import`"
        case .overflow: "amount out of range for conversion"
        }
    }
}
