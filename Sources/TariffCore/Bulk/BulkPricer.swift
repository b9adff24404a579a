/// Prices one number of a bulk request: its country, type, network, the row that matched and
/// the price in the currency asked for, or why it has none.
public struct BulkPricer: Sendable {
    public let book: PricedBook
    public let product: Product
    public let origin: CallOrigin?
    public let instant: Instant
    /// Prices are converted to this currency (the account's); nil keeps each row's own.
    public let currency: CurrencyCode?
    public let fx: ExchangeRateTable

    public init(book: PricedBook, product: Product, origin: CallOrigin?, at instant: Instant, currency: CurrencyCode?, fx: ExchangeRateTable) {
        self.book = book
        self.product = product
        self.origin = origin
        self.instant = instant
        self.currency = currency
        self.fx = fx
    }

    /// One number's answer. `text` is the number as the file wrote it.
    public func price(_ text: String) -> BulkPriceLine {
        price(text, parsed: Self.parse(text))
    }

    static func parse(_ text: String) -> Result<PhoneNumber, PhoneNumberError> {
        Result { () throws(PhoneNumberError) in try PhoneNumber(parsing: text) }
    }

    /// One number's answer, its text already parsed.
    func price(_ text: String, parsed: Result<PhoneNumber, PhoneNumberError>) -> BulkPriceLine {
        let number: PhoneNumber
        switch parsed {
        case .success(let parsed): number = parsed
        case .failure(let error): return BulkPriceLine(number: text, error: "not a phone number: \(error)")
        }
        let quote: PriceQuote
        do { quote = try book.quote(number, product: product, from: origin, at: instant, nextChange: false) } catch {
            return BulkPriceLine(
                number: text,
                e164: number.e164,
                info: book.reference.classify(number.key),
                product: product,
                error: error.description
            )
        }
        var price = quote.price
        if let currency {
            do throws(ConversionError) { price = try fx.convert(price, to: currency) } catch {
                return BulkPriceLine(number: text, e164: number.e164, info: quote.destination, product: product, error: error.description)
            }
        }
        return BulkPriceLine(number: text, e164: number.e164, info: quote.destination, product: product, match: quote.match, price: price)
    }
}

/// A number of a bulk request, priced or not.
public struct BulkPriceLine: Sendable, Equatable {
    /// As given.
    public let number: String
    public let e164: String?
    public let country: String?
    /// The number type (mobile, landline, ...); for inbound products, the number category.
    public let type: String?
    public let network: String?
    /// The row that priced it.
    public let matched: RateMatch?
    public let price: Money?
    public let error: String?

    init(number: String, error: String) {
        self.number = number
        e164 = nil
        country = nil
        type = nil
        network = nil
        matched = nil
        price = nil
        self.error = error
    }

    init(number: String, e164: String, info: NumberInfo, product: Product, match: RateMatch? = nil, price: Money? = nil, error: String? = nil) {
        self.number = number
        self.e164 = e164
        country = info.country?.iso2
        type = product.isInbound ? info.category?.rawValue : info.numberType?.rawValue
        network = info.network?.mccmnc
        matched = match
        self.price = price
        self.error = error
    }

    /// The row that priced it: `prefix 3461`, `network 21407`, `type mobile`, `country ES`.
    public var match: String? {
        guard let matched else { return nil }
        var bytes: [UInt8] = []
        Self.writeLabel(matched, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// ``match``'s text written straight into an answer.
    static func writeLabel(_ match: RateMatch, into output: inout [UInt8]) {
        switch match {
        case .prefix(let digits):
            output.append(contentsOf: "prefix ".utf8)
            output.append(contentsOf: digits.utf8)
        case .network(let code, _):
            output.append(contentsOf: "network ".utf8)
            output.append(contentsOf: code.utf8)
        case .numberType(let type):
            output.append(contentsOf: "type ".utf8)
            output.append(contentsOf: type.rawValue.utf8)
        case .country(let iso):
            output.append(contentsOf: "country ".utf8)
            output.append(contentsOf: iso.utf8)
        case .caller(let text): output.append(contentsOf: text.utf8)
        }
    }
}
