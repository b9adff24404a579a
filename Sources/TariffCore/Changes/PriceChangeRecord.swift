/// A ``PriceChange`` as the feed shows it: prices in one currency (the account's, converted at
/// the rate in force), as text; the same members in JSON and in CSV.
public struct PriceChangeRecord: Sendable, Hashable, Encodable {
    public let product: String
    /// The origin list of a rate (`domestic`, `eea`, `international`); nil for number fees.
    public let origin: String?
    public let key: String
    public let country: String?
    public let change: String
    public let oldPrice: String?
    public let newPrice: String?
    /// Number fees only: the one-time fee before and after.
    public let oldSetup: String?
    public let newSetup: String?
    public let currency: String
    public let effectiveAt: String
    public let deckVersion: Int64

    /// `currency` nil keeps the deck's currency.
    public init(_ change: PriceChange, currency target: CurrencyCode?, fx: ExchangeRateTable) throws(ConversionError) {
        func convert(_ money: Money?) throws(ConversionError) -> Money? {
            guard let money else { return nil }
            guard let target else { return money }
            return try fx.convert(money, to: target)
        }
        product = change.subject.product
        if case .rate(let key) = change.subject { origin = key.origin.rawValue } else { origin = nil }
        key = change.subject.label
        country = change.country
        self.change = change.change.rawValue
        let old = try convert(change.old?.price)
        let new = try convert(change.new?.price)
        oldPrice = old?.amount.formatted()
        newPrice = new?.amount.formatted()
        oldSetup = try convert(change.old?.setup)?.amount.formatted()
        newSetup = try convert(change.new?.setup)?.amount.formatted()
        currency = (target ?? new?.currency ?? old?.currency)?.rawValue ?? ""
        effectiveAt = change.effectiveFrom.iso8601
        deckVersion = change.deckVersion
    }

    /// Throws unless every price of `changes` converts to `target`: checked before a streamed
    /// feed writes its first line, since a failure in the middle could no longer be answered.
    public static func checkConvertible(_ changes: [PriceChange], to target: CurrencyCode?, fx: ExchangeRateTable) throws(ConversionError) {
        guard let target else { return }
        for currency in Set(changes.lazy.compactMap { ($0.new ?? $0.old)?.price.currency }) {
            _ = try fx.convert(Money(.zero, currency), to: target)
        }
    }

    public static let csvHeader = "product,origin,key,country,change,old_price,new_price,old_setup,new_setup,currency,effective_at,deck_version\n"

    /// One CSV line; the key is the only cell that may hold free text.
    public var csvLine: String {
        // Appended cell by cell: a feed of a million lines builds no array per line.
        var line = product
        func cell(_ text: String?) {
            line += ","
            if let text { line += text }
        }
        cell(origin)
        cell(CSVCell.escaped(key))
        cell(country)
        cell(change)
        cell(oldPrice)
        cell(newPrice)
        cell(oldSetup)
        cell(newSetup)
        cell(currency)
        cell(effectiveAt)
        cell(String(deckVersion))
        line += "\n"
        return line
    }

    enum CodingKeys: String, CodingKey {
        case product, origin, key, country, change, currency
        case oldPrice = "old_price"
        case newPrice = "new_price"
        case oldSetup = "old_setup"
        case newSetup = "new_setup"
        case effectiveAt = "effective_at"
        case deckVersion = "deck_version"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(product, forKey: .product)
        // null, not absent: a new price has no old side, a closed one no new side.
        try container.encode(origin, forKey: .origin)
        try container.encode(key, forKey: .key)
        try container.encode(country, forKey: .country)
        try container.encode(change, forKey: .change)
        try container.encode(oldPrice, forKey: .oldPrice)
        try container.encode(newPrice, forKey: .newPrice)
        try container.encode(oldSetup, forKey: .oldSetup)
        try container.encode(newSetup, forKey: .newSetup)
        try container.encode(currency, forKey: .currency)
        try container.encode(effectiveAt, forKey: .effectiveAt)
        try container.encode(deckVersion, forKey: .deckVersion)
    }
}
