import Foundation
import TariffCore

/// Phone-number subscription prices as Voximplant shows them: per country its categories
/// (`GEOGRAPHIC`, `MOBILE`, `TOLLFREE`, ...), each with a price for the whole country and
/// prices per region, in the deck's currency and converted into the account's.
struct NumberCatalog: Sendable {
    struct Offer: Sendable {
        let key: NumberPriceKey
        let terms: NumberPriceTerms
        /// NRC and MRC in the account's currency.
        let installation: Amount
        let monthly: Amount
        /// Stable: the region id or subscription template id.
        let id: Int
        /// The resource that prices calls to such numbers (GetResourcePrice's `resource_type`).
        let incomingResource: String
    }

    struct Category: Sendable {
        let name: String
        /// The price for the whole country, or else the cheapest region's.
        let headline: Offer
        /// Priced regions, or the whole country as one region when the deck names none.
        let regions: [Offer]
    }

    /// A template that is not a number (a SIP registration, a plan), priced in the account's currency.
    struct TemplateOffer: Sendable {
        let price: TemplatePrice
        let terms: TemplateTerms
        let installation: Amount
        let monthly: Amount
        /// Stable, and never one of a number offer's.
        let id: Int
    }

    let currency: CurrencyCode
    /// Every offer in force, in country, category and region order.
    let offers: [Offer]
    /// Every template in force, by name.
    let templates: [TemplateOffer]

    init(book: PricedBook, currency: CurrencyCode, exchangeRates: ExchangeRateTable, at instant: Instant) throws(ConversionError) {
        self.currency = currency
        let prices = book.numberPrices(at: instant)
        var inboundResources: [String: String] = [:]
        for rate in book.rates(at: instant, product: .voiceInbound) where rate.key.prefix == nil && rate.key.network == nil {
            guard let country = rate.key.country, let resource = rate.terms?.resource else { continue }
            let key = country + "|" + (rate.key.numberType ?? "")
            if inboundResources[key] == nil { inboundResources[key] = resource }
        }
        // Template ids come after the numbers', which so keep the ids they had before templates.
        let templatePrices = book.templates.inForce(at: instant)
        let ids = StableID.assign(prices.map { "number|\($0.key.label)" } + templatePrices.map { "template|\($0.key.name)" })
        var offers: [Offer] = []
        for (price, id) in zip(prices, ids) {
            guard let terms = price.terms else { continue }
            let inboundType = Self.inboundNumberType(category: price.key.category)
            let resource =
                terms.incomingResource
                ?? inboundResources[price.key.country + "|" + inboundType] ?? inboundResources[price.key.country + "|"]
                ?? "PSTN_IN_" + inboundType.uppercased()
            offers.append(
                Offer(
                    key: price.key,
                    terms: terms,
                    installation: try exchangeRates.convert(Money(terms.installation, terms.currency), to: currency).amount,
                    monthly: try exchangeRates.convert(Money(terms.monthly, terms.currency), to: currency).amount,
                    id: id,
                    incomingResource: resource
                )
            )
        }
        self.offers = offers
        var templates: [TemplateOffer] = []
        for (price, id) in zip(templatePrices, ids.dropFirst(prices.count)) {
            guard let terms = price.terms else { continue }
            templates.append(
                TemplateOffer(
                    price: price,
                    terms: terms,
                    installation: try exchangeRates.convert(Money(terms.installation, terms.currency), to: currency).amount,
                    monthly: try exchangeRates.convert(Money(terms.monthly, terms.currency), to: currency).amount,
                    id: id
                )
            )
        }
        self.templates = templates
    }

    var countries: [String] { Array(Set(offers.map(\.key.country))).sorted() }

    func categories(of country: String) -> [Category] {
        let mine = offers.filter { $0.key.country == country }
        var names: [String] = []
        for offer in mine where !names.contains(offer.key.category) { names.append(offer.key.category) }
        return names.map { name in
            let all = mine.filter { $0.key.category == name }
            let countryWide = all.first { $0.key.regionCode == nil }
            let regions = all.filter { $0.key.regionCode != nil }
            let headline = countryWide ?? regions.min { ($0.monthly, $0.installation) < ($1.monthly, $1.installation) }!
            return Category(name: name, headline: headline, regions: regions.isEmpty ? [headline] : regions)
        }
    }

    /// The inbound deck's `number_type` for calls to numbers of a Voximplant category.
    static func inboundNumberType(category: String) -> String {
        switch category.uppercased() {
        case "GEOGRAPHIC": NumberCategory.local.rawValue
        case "MOBILE": NumberCategory.mobile.rawValue
        case "TOLLFREE", "TOLL_FREE": NumberCategory.tollFree.rawValue
        case "NATIONAL": NumberCategory.national.rawValue
        default: category.lowercased()
        }
    }

    /// `Geographic`, `Toll free`, `Moscow495`: how a category is shown to people.
    static func displayName(category: String) -> String {
        switch category.uppercased() {
        case "TOLLFREE": "Toll free"
        default: category.replacingOccurrences(of: "_", with: " ").lowercased().capitalizingFirst
        }
    }
}

extension String {
    /// `Moscow495` from `moscow495`: the first letter in capitals, the rest as it is.
    fileprivate var capitalizingFirst: String { prefix(1).uppercased() + dropFirst() }
}
