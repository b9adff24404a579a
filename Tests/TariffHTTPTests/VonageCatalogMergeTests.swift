import TariffCore
import Testing

@testable import TariffHTTP

/// Vonage has no origin: per country, a row of the international list takes the place of the
/// row of the same shape for any origin, and the rest keep key order.
@Suite("Vonage catalog: the international and any-origin rows of a country, merged")
struct VonageCatalogMergeTests {
    static func rate(_ origin: OriginScope, prefix: String?, network: String? = nil, price: Int64) -> Rate {
        Rate(
            key: RateKey(product: .voiceOutbound, origin: origin, country: "ES", network: network, prefix: prefix, numberType: nil),
            effectiveFrom: Instant(secondsSince1970: 0),
            terms: RateTerms(
                price: Amount(units: price),
                currency: CurrencyCode("EUR")!,
                increment: .perMinute,
                connectFee: Amount(units: 0),
                description: "",
                resource: ""
            ),
            deckVersion: 1
        )
    }

    @Test func mergedInKeyOrderInternationalWinning() {
        let any = [
            Self.rate(.any, prefix: nil, price: 1), Self.rate(.any, prefix: "341", price: 2), Self.rate(.any, prefix: "3461", price: 3),
            Self.rate(.any, prefix: "3491", network: "ES-FIXED", price: 4),
        ]
        let international = [
            Self.rate(.international, prefix: "34", price: 10), Self.rate(.international, prefix: "3461", price: 30),
            Self.rate(.international, prefix: "35", price: 50),
        ]
        let merged = VonageCatalog.merged((any, international))
        #expect(merged.map { $0.key.prefix ?? "-" } == ["-", "34", "341", "3461", "3491", "35"])
        #expect(merged.map(\.terms!.price.units) == [1, 10, 2, 30, 4, 50])
        // The same as sorting the chosen rows by key, as the catalog did before.
        var chosen: [RateKey: Rate] = [:]
        for rate in any + international {
            let shape = RateKey(
                product: .voiceOutbound,
                origin: .any,
                country: "ES",
                network: rate.key.network,
                prefix: rate.key.prefix,
                numberType: nil
            )
            chosen[shape] = rate
        }
        #expect(merged == chosen.sorted { $0.key < $1.key }.map(\.value))
        #expect(VonageCatalog.merged(([], [])).isEmpty)
        #expect(VonageCatalog.merged((any, [])) == any)
        #expect(VonageCatalog.merged(([], international)) == international)
    }
}
