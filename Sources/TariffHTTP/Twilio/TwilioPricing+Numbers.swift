import Foundation
import Hummingbird
import TariffCore

extension TwilioPricing {
    /// A number from a path or query: E.164, its `+` sent as it is or as `%2B` (or, from a query
    /// written by hand, as the space a `+` decodes to). Anything else is Twilio's 404.
    func number(_ text: String, request: Request) throws -> PhoneNumber {
        guard let number = Self.phoneNumber(text) else {
            throw TwilioError.notFound(request.uri.path, because: "not a phone number in E.164 form")
        }
        return number
    }

    static func phoneNumber(_ text: String) -> PhoneNumber? {
        var text = text.removingPercentEncoding ?? text
        if text.first == " " { text = "+" + text.dropFirst() }
        guard text.count <= 32, text.first == "+" else { return nil }
        return try? PhoneNumber(parsing: text)
    }

    /// A quote's price as Twilio shows it: the deck's price and the account's, in its currency.
    func price(_ quote: PriceQuote, in currency: CurrencyCode, exchange: ExchangeRateTable) throws -> TwilioCatalog.Price {
        let deck = quote.deckRate?.terms ?? quote.terms
        return try price(base: Money(deck.price, deck.currency), current: quote.price, in: currency, exchange: exchange)
    }

    func price(base: Money, current: Money, in currency: CurrencyCode, exchange: ExchangeRateTable) throws -> TwilioCatalog.Price {
        do {
            return TwilioCatalog.Price(
                base: try exchange.convert(base, to: currency).amount,
                current: try exchange.convert(current, to: currency).amount
            )
        } catch {
            throw TwilioError.internalError("Prices cannot be shown in \(currency): no exchange rate")
        }
    }

    /// What a call to the number costs to receive, by its type, as the country's inbound prices list it.
    func inboundPrice(for info: NumberInfo, in catalog: TwilioCatalog) -> TwilioCatalog.TypedPrice? {
        guard let iso = info.country?.iso2, let category = info.category else { return nil }
        let type = TwilioCatalog.numberType(category)
        return catalog.voice[iso]?.inbound.first { $0.numberType == type }
    }

    /// Twilio's `origination_prefixes` for an origin list of calls to `destination`: `ALL` for
    /// rows of any origin, `ROW` (rest of world) for the international list, the destination's
    /// calling code for the domestic one, and the EEA countries' codes for the EEA list.
    func originationPrefixes(_ scope: OriginScope, destination: Country) -> [String] {
        switch scope {
        case .any: ["ALL"]
        case .international: ["ROW"]
        case .domestic: destination.callingCode.map { [$0] } ?? []
        case .eea: eeaCallingCodes
        }
    }
}
