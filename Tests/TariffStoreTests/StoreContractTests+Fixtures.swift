import Foundation
import TariffCore
import Testing

@testable import TariffStore

extension StoreContractTests {
    // MARK: Fixtures

    static func commit(
        rates: [Rate],
        numbers: [NumberPrice],
        rowCount: Int? = nil,
        summary: ChangeSummary = ChangeSummary(),
        source: String = "deck.csv",
        isDemo: Bool = false
    ) -> DeckCommit {
        DeckCommit(
            deck: "base",
            kind: "rates",
            source: source,
            createdAt: instant("2026-11-20T10:30:00Z"),
            rowCount: rowCount ?? rates.count + numbers.count,
            summary: summary,
            isDemo: isDemo,
            rates: rates,
            numberPrices: numbers,
            basedOn: nil
        )
    }

    static func assigning(_ version: Int64, to rate: Rate) -> Rate {
        var copy = rate
        copy.deckVersion = version
        return copy
    }

    static func assigning(_ version: Int64, to price: NumberPrice) -> NumberPrice {
        var copy = price
        copy.deckVersion = version
        return copy
    }

    static func key(
        _ product: Product,
        _ origin: OriginScope,
        country: String? = nil,
        network: String? = nil,
        prefix: String? = nil,
        numberType: String? = nil
    ) -> RateKey {
        RateKey(product: product, origin: origin, country: country, network: network, prefix: prefix, numberType: numberType)
    }

    static let fixedRate = Rate(
        key: key(.voiceOutbound, .international, country: "ES"),
        effectiveFrom: instant("2026-01-01"),
        terms: RateTerms(
            price: amount("0.02026"),
            currency: currency("EUR"),
            increment: .perMinute,
            connectFee: .zero,
            description: "Spain Fixed",
            resource: "PSTN_INTERNATIONAL"
        ),
        deckVersion: 0
    )
    static let laterFixedRate = Rate(
        key: fixedRate.key,
        effectiveFrom: instant("2026-12-15T06:00:00Z"),
        terms: RateTerms(
            price: amount("0.025"),
            currency: currency("EUR"),
            increment: BillingIncrement(initial: 30, subsequent: 6),
            connectFee: .zero,
            description: "Spain Fixed",
            resource: "PSTN_INTERNATIONAL"
        ),
        deckVersion: 0
    )
    static let prefixRate = Rate(
        key: key(.voiceOutbound, .international, country: "ES", prefix: "34612"),
        effectiveFrom: instant("2026-01-01"),
        terms: RateTerms(
            price: amount("0.07"),
            currency: currency("EUR"),
            increment: .perSecond,
            connectFee: amount("0.01"),
            description: "Spain, \"Syma\"",
            resource: "PSTN_INTERNATIONAL"
        ),
        deckVersion: 0
    )
    static let closingRate = Rate(key: prefixRate.key, effectiveFrom: instant("2026-12-01"), terms: nil, deckVersion: 0)
    static let smsRate = Rate(
        key: key(.smsOutbound, .any, country: "ES", network: "21407"),
        effectiveFrom: instant("2026-02-01T12:34:56Z"),
        terms: RateTerms(
            price: amount("0.12345678"),
            currency: currency("USD"),
            increment: nil,
            connectFee: .zero,
            description: "",
            resource: "SMSOUT"
        ),
        deckVersion: 0
    )
    static let inboundRate = Rate(
        key: key(.voiceInbound, .domestic, country: "ES", prefix: "346", numberType: "toll_free"),
        effectiveFrom: instant("2026-01-01"),
        terms: RateTerms(
            price: amount("12345.6789"),
            currency: currency("EUR"),
            increment: BillingIncrement(initial: 60, subsequent: 1),
            connectFee: amount("0.5"),
            description: "Spain toll free from mobiles",
            resource: "PSTN_IN_TOLL_FREE"
        ),
        deckVersion: 0
    )
    static let ancientRate = Rate(
        key: key(.voiceOutbound, .eea, network: "ES-FIXED", numberType: "landline"),
        effectiveFrom: .distantPast,
        terms: RateTerms(
            price: .zero,
            currency: currency("EUR"),
            increment: .perMinute,
            connectFee: .zero,
            description: "free since always",
            resource: "PSTNOUT_EEA"
        ),
        deckVersion: 0
    )

    static let countryPrice = NumberPrice(
        key: NumberPriceKey(country: "ES", category: "MOBILE", regionCode: nil),
        effectiveFrom: instant("2026-01-01"),
        terms: NumberPriceTerms(regionName: nil, installation: amount("1.5"), monthly: amount("2"), currency: currency("EUR"), incomingResource: nil),
        deckVersion: 0
    )
    static let regionPrice = NumberPrice(
        key: NumberPriceKey(country: "MX", category: "GEOGRAPHIC", regionCode: "55"),
        effectiveFrom: instant("2026-03-01"),
        terms: NumberPriceTerms(
            regionName: "Mexico City",
            installation: .zero,
            monthly: amount("1.25"),
            currency: currency("USD"),
            incomingResource: "PSTN_IN_GEOGRAPHIC"
        ),
        deckVersion: 0
    )
    static let closingPrice = NumberPrice(key: countryPrice.key, effectiveFrom: instant("2027-01-01"), terms: nil, deckVersion: 0)

    static func smallReference(prefixes: [String]) -> ReferenceTables {
        ReferenceTables(
            countries: [
                Country(iso2: "ES", name: "Spain", callingCode: "34", isEEA: true, currency: currency("EUR")),
                Country(iso2: "GB", name: "United Kingdom", callingCode: "44", isEEA: false, currency: currency("GBP")),
            ],
            currencies: [
                Currency(code: currency("EUR"), numeric: "978", name: "Euro", minorUnits: 2),
                Currency(code: currency("GBP"), numeric: "826", name: "Pound Sterling", minorUnits: 2),
            ],
            networks: [MobileNetwork(mcc: "214", mnc: "07", countryISO2: "ES", name: "Movistar", status: "Operational")],
            ranges: prefixes.map {
                NumberRange(
                    prefix: $0,
                    countryISO2: $0.hasPrefix("34") ? "ES" : "GB",
                    referenceType: "mobile",
                    networkMCCMNC: nil,
                    networkName: nil
                )
            }
        )
    }
}
