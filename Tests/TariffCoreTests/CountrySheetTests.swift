import Testing

@testable import TariffCore

private typealias W = TestWorld

/// A country's sheet keeps at most two versions per line and finds filtered pages by binary
/// search; both must answer as the plain way does: every rate of the country, grouped by key,
/// filtered line by line.
@Suite("Country sheets: compact lines and filtered ranges")
struct CountrySheetTests {
    static let deck = """
        product,country,network,prefix,number_type,origin,price,currency,increment,effective_from,description
        voice-outbound,ES,,,,international,0.02,EUR,60/60,2026-01-01,Spain
        voice-outbound,ES,,34910,,international,0.03,EUR,60/60,2026-01-01,Madrid
        voice-outbound,ES,,34910,,international,0.035,EUR,60/60,2027-01-01,Madrid from 2027
        voice-outbound,ES,,34910,,international,0.04,EUR,60/60,2028-01-01,Madrid from 2028
        voice-outbound,ES,,3491,,international,0.025,EUR,60/60,2026-01-01,Madrid area
        voice-outbound,ES,,3493,,international,0.026,EUR,60/60,2029-01-01,Barcelona from 2029
        voice-outbound,,,34606,,international,0.04,EUR,1/1,2026-01-01,Mobile block
        voice-outbound,,,3460,,domestic,0.041,EUR,1/1,2026-01-01,Mobiles from home
        voice-outbound,ES,,34609,,domestic,0.042,EUR,1/1,2026-01-01,Mobiles from home by country
        voice-outbound,ES,21407,,mobile,eea,0.05,EUR,1/1,2026-01-01,Movistar from the EEA
        voice-outbound,ES,,3493,,any,0.027,EUR,60/60,2026-01-01,Barcelona anywhere
        sms-outbound,ES,21407,,,any,0.065,EUR,,2026-01-01,Movistar
        sms-outbound,ES,,,,any,0.06,EUR,,2026-01-01,Spain
        sms-outbound,,,3461,,any,0.07,EUR,,2026-01-01,Block
        voice-outbound,DE,,49,,international,0.01,EUR,60/60,2026-01-01,Germany
        voice-outbound,,,4930,,international,0.011,EUR,60/60,2026-01-01,Berlin
        """

    @Test("lines, and every product and prefix filter, answer as the plain way")
    func sameAsThePlainWay() throws {
        let book = PricedBook(try W.book(Self.deck))
        let spain = try #require(W.reference.country("ES"))
        let now = W.instant("2026-06-01")
        let sheet = CountryPrices(book, country: spain, at: now)
        #expect(sheet.rates.ordered)

        // The plain way: every version of the country's keys, grouped into lines.
        var all: [Rate] = []
        book.forEachRate(at: now, scheduled: true) { rate in
            if CountryPrices.country(of: rate.key, reference: W.reference) == "ES" { all.append(rate) }
        }
        let plain = CountryPrices.lines(all, at: now)
        let lines = (0..<sheet.rates.count).map { sheet.rates[$0] }
        #expect(lines.map(\.entry.key) == plain.map(\.entry.key))
        #expect(lines.map(\.current?.terms) == plain.map(\.current?.terms))
        #expect(lines.map(\.next?.terms) == plain.map(\.next?.terms))
        #expect(lines.map(\.next?.effectiveFrom) == plain.map(\.next?.effectiveFrom))
        #expect(!lines.contains { $0.entry.key.country == "DE" || $0.entry.key.prefix?.hasPrefix("49") == true })
        let madrid = try #require(lines.first { $0.entry.key.prefix == "34910" })
        #expect(madrid.current?.terms?.description == "Madrid" && madrid.next?.terms?.description == "Madrid from 2027")
        let barcelona = try #require(lines.first { $0.entry.key.prefix == "3493" && $0.entry.key.origin == .international })
        #expect(barcelona.current == nil && barcelona.next?.terms?.description == "Barcelona from 2029")
        #expect(lines.contains { $0.entry.key.prefix == "34606" } && lines.contains { $0.entry.key.prefix == "3461" })

        let unordered = RateLines(country: "ES", instant: now, versions: sheet.rates.versions, starts: sheet.rates.starts, ordered: false)
        for product in [nil] + Product.allCases {
            for prefix in [nil, "", "3", "34", "349", "3491", "34910", "349100", "3460", "34606", "3461", "5", "9", "0"] {
                let expected = lines.indices.filter { RateLines.matches(lines[$0].entry.key, product: product, prefix: prefix) }
                #expect(
                    sheet.rates.matching(product: product, prefix: prefix).flatMap { $0 } == expected,
                    "\(String(describing: product)) \(prefix ?? "-")"
                )
                #expect(unordered.matching(product: product, prefix: prefix).flatMap { $0 } == expected)
            }
        }
    }
}
