import TariffCore

/// A country as `GET /v1/countries` lists it.
struct CountryRecord: Encodable {
    let iso2: String
    let name: String
    let callingCode: String?
    let eea: Bool

    init(_ country: Country) {
        iso2 = country.iso2
        name = country.name
        callingCode = country.callingCode
        eea = country.isEEA
    }
}

/// `GET /v1/countries/{iso}/prices`: a page of the country's rates and all its number fees, in
/// the account's currency at the exchange rate in force, each with its next scheduled price.
struct CountryPricesRecord: Encodable {
    let country: CountryRecord
    let at: String
    let currency: String
    let deckVersion: Int64
    let totalRates: Int
    let rates: [RateLine]
    let numbers: [NumberLine]

    struct RateLine: Encodable {
        let product: String
        let list: String
        let prefix: String?
        let network: String?
        let networkName: String?
        let numberType: String?
        let description: String
        /// Nil when the price only starts later (see `next`).
        let price: String?
        let connectFee: String?
        let increment: String?
        let effectiveFrom: String?
        let next: Next?
    }

    struct NumberLine: Encodable {
        let category: String
        let region: String?
        let regionName: String?
        let setup: String?
        let monthly: String?
        let effectiveFrom: String?
        let next: NumberNext?
    }

    struct Next: Encodable {
        let price: String
        let connectFee: String?
        let effectiveFrom: String
    }

    struct NumberNext: Encodable {
        let setup: String
        let monthly: String
        let effectiveFrom: String
    }

    init(
        _ sheet: CountryPrices,
        rates: [CountryPrices.Line<Rate>],
        totalRates: Int,
        showNumbers: Bool,
        deckVersion: Int64,
        currency: CurrencyCode,
        fx: ExchangeRateTable,
        reference: ReferenceData
    ) throws(ConversionError) {
        func convert(_ amount: Amount, _ from: CurrencyCode) throws(ConversionError) -> String {
            try fx.convert(Money(amount, from), to: currency).amount.formatted()
        }
        country = CountryRecord(sheet.country)
        at = sheet.instant.iso8601
        self.currency = currency.rawValue
        self.deckVersion = deckVersion
        self.totalRates = totalRates
        var lines: [RateLine] = []
        for line in rates {
            let key = line.entry.key
            let voice = key.product.isVoice
            let current = line.current?.terms
            var next: Next?
            if let rate = line.next, let terms = rate.terms {
                next = Next(
                    price: try convert(terms.price, terms.currency),
                    connectFee: voice ? try convert(terms.connectFee, terms.currency) : nil,
                    effectiveFrom: rate.effectiveFrom.iso8601
                )
            }
            lines.append(
                RateLine(
                    product: key.product.rawValue,
                    list: key.origin.rawValue,
                    prefix: key.prefix,
                    network: key.network,
                    networkName: key.network.flatMap { reference.network($0, in: sheet.country.iso2)?.name },
                    numberType: key.numberType,
                    description: (current ?? line.next?.terms)?.description ?? "",
                    price: try current.map { terms throws(ConversionError) in try convert(terms.price, terms.currency) },
                    connectFee: voice ? try current.map { terms throws(ConversionError) in try convert(terms.connectFee, terms.currency) } : nil,
                    increment: (current ?? line.next?.terms)?.increment?.description,
                    effectiveFrom: line.current?.effectiveFrom.iso8601,
                    next: next
                )
            )
        }
        self.rates = lines
        var numbers: [NumberLine] = []
        for line in showNumbers ? sheet.numbers : [] {
            let key = line.entry.key
            let current = line.current?.terms
            var next: NumberNext?
            if let price = line.next, let terms = price.terms {
                next = NumberNext(
                    setup: try convert(terms.installation, terms.currency),
                    monthly: try convert(terms.monthly, terms.currency),
                    effectiveFrom: price.effectiveFrom.iso8601
                )
            }
            numbers.append(
                NumberLine(
                    category: key.category,
                    region: key.regionCode,
                    regionName: (current ?? line.next?.terms)?.regionName,
                    setup: try current.map { terms throws(ConversionError) in try convert(terms.installation, terms.currency) },
                    monthly: try current.map { terms throws(ConversionError) in try convert(terms.monthly, terms.currency) },
                    effectiveFrom: line.current?.effectiveFrom.iso8601,
                    next: next
                )
            )
        }
        self.numbers = numbers
    }
}
