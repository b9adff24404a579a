import TariffCore

/// `GET /v1/countries/summary`: per country, its lowest and highest price of one product in
/// force, in one currency at the exchange rate in force. Countries are in ISO code order.
struct CountrySummaryRecord: Encodable {
    let product: String
    let list: String?
    let at: String
    let currency: String
    let deckVersion: Int64
    let countries: [Line]

    struct Line: Encodable {
        let iso2: String
        let lowest: String
        let highest: String
        let rates: Int
    }

    init(_ summary: CountrySummary, deckVersion: Int64, currency: CurrencyCode, fx: ExchangeRateTable) throws(ConversionError) {
        product = summary.product.rawValue
        list = summary.origin?.rawValue
        at = summary.instant.iso8601
        self.currency = currency.rawValue
        self.deckVersion = deckVersion
        var lines: [Line] = []
        for (country, spans) in summary.countries.sorted(by: { $0.key < $1.key }) {
            var lowest: Amount?
            var highest: Amount?
            var rates = 0
            for (from, span) in spans {
                let low = try fx.convert(Money(span.lowest, from), to: currency).amount
                let high = try fx.convert(Money(span.highest, from), to: currency).amount
                lowest = min(lowest ?? low, low)
                highest = max(highest ?? high, high)
                rates += span.rates
            }
            guard let lowest, let highest else { continue }
            lines.append(Line(iso2: country, lowest: lowest.formatted(), highest: highest.formatted(), rates: rates))
        }
        countries = lines
    }
}
