import Testing

@testable import TariffCore

private typealias W = TestWorld

@Suite("RateBook: listings and number prices")
struct RateBookListingTests {
    @Test func ratesInForceAtAnInstant() throws {
        let base = try W.rates(
            """
            product,country,prefix,price,currency,effective_from
            sms-outbound,ES,,0.05,EUR,2026-01-01
            sms-outbound,ES,,0.06,EUR,2026-03-01
            sms-outbound,MX,,0.04,USD,2026-01-01
            sms-outbound,DE,,0.07,EUR,2026-06-01
            sms-outbound,,3461,0.03,EUR,2026-01-01
            voice-outbound,ES,,0.10,EUR,2026-01-01
            """
        )
        let closing = base.first { $0.key.country == "MX" }!.closing(at: W.instant("2026-02-01"))
        let book = try RateBook(deck: "base", version: 1, reference: W.reference, rates: base + [closing], numberPrices: [])
        #expect(book.count == 7)

        let sms = book.rates(at: W.instant("2026-01-15"), product: .smsOutbound)
        #expect(sms.map { $0.key.country } == ["ES", "ES", "MX"])
        #expect(sms.map { $0.key.prefix } == [nil, "3461", nil])
        #expect(sms[0].terms?.price == W.amount("0.05"))

        let later = book.rates(at: W.instant("2026-07-01"), product: .smsOutbound)
        #expect(later.map { $0.key.country } == ["DE", "ES", "ES"])
        #expect(later.first { $0.key.country == "ES" && $0.key.prefix == nil }?.terms?.price == W.amount("0.06"))

        let everything = book.rates(at: W.instant("2026-01-15"))
        #expect(everything.count == 4)
        #expect(everything.last?.key.product == .voiceOutbound)
        #expect(book.rates(at: W.instant("2025-01-01")).isEmpty)
    }

    static let numbers = """
        country,category,region_code,region_name,installation_price,monthly_price,currency,incoming_resource,effective_from
        MX,GEOGRAPHIC,,,10,5,USD,,2026-01-01
        MX,GEOGRAPHIC,55,Mexico City,12,6,USD,,2026-01-01
        CO,TOLLFREE,,,20,15,USD,PSTN_IN_TOLLFREE_CO,2026-01-01
        """

    @Test func numberPriceRegionalOrWholeCountry() throws {
        let book = try W.book("product,country,price,currency\nsms-outbound,ES,0.05,EUR", numbers: Self.numbers)
        let at = W.instant("2026-02-01")
        let mexicoCity = book.numberPrice(country: "MX", category: "GEOGRAPHIC", regionCode: "55", at: at)
        #expect(mexicoCity?.terms?.monthly == W.amount("6"))
        #expect(mexicoCity?.terms?.regionName == "Mexico City")
        let guadalajara = book.numberPrice(country: "MX", category: "GEOGRAPHIC", regionCode: "33", at: at)
        #expect(guadalajara?.key.regionCode == nil)
        #expect(guadalajara?.terms?.monthly == W.amount("5"))
        #expect(book.numberPrice(country: "MX", category: "GEOGRAPHIC", at: at)?.terms?.installation == W.amount("10"))
        #expect(book.numberPrice(country: "CO", category: "TOLLFREE", regionCode: "1", at: at)?.terms?.incomingResource == "PSTN_IN_TOLLFREE_CO")
        #expect(book.numberPrice(country: "MX", category: "MOBILE", at: at) == nil)
        #expect(book.numberPrice(country: "MX", category: "GEOGRAPHIC", regionCode: "55", at: W.instant("2025-12-31")) == nil)
        #expect(book.numberPrices(at: at).map(\.key.label) == ["CO TOLLFREE", "MX GEOGRAPHIC", "MX GEOGRAPHIC region 55"])
    }
}
