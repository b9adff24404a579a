public import TariffCore

/// Whose prices the price explorer's routes show a visitor with no credentials (`--public-prices`):
/// none (they ask for an account key), the deck's, or a price plan's; in one currency unless the
/// visitor asks for another.
public struct PublicPrices: Sendable, Equatable {
    public enum Source: Sendable, Equatable {
        case deck
        case plan(String)
    }

    public var source: Source
    public var currency: CurrencyCode

    public init(source: Source, currency: CurrencyCode) {
        self.source = source
        self.currency = currency
    }

    /// `off` (nil), `deck` or `plan:NAME`; `currency` an ISO 4217 code.
    public static func parsing(_ text: String, currency: String) throws(ConfigurationError) -> PublicPrices? {
        let source: Source
        switch text {
        case "off": return nil
        case "deck": source = .deck
        default:
            let name = text.hasPrefix("plan:") ? String(text.dropFirst("plan:".count)) : ""
            guard !name.isEmpty, name.utf8.count <= 100 else {
                throw .invalid("--public-prices '\(text.prefix(120))': expected off, deck or plan:NAME")
            }
            source = .plan(name)
        }
        guard currency.utf8.count == 3, let code = CurrencyCode(currency.uppercased()) else {
            throw .invalid("--public-currency '\(currency.prefix(20))': expected an ISO 4217 code such as EUR")
        }
        return PublicPrices(source: source, currency: code)
    }
}
