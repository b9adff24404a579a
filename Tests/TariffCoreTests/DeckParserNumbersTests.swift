import Testing

@testable import TariffCore

private typealias W = TestWorld

@Suite("DeckParser: phone-number subscription files")
struct DeckParserNumbersTests {
    static let header = "country,category,region_code,region_name,installation_price,monthly_price,currency,incoming_resource,effective_from\n"

    @Test func validRows() throws {
        let deck = try W.parse(
            Self.header + """
                MX,geographic,55,Mexico City,12,6.5,USD,,2026-02-01
                CO,TOLLFREE,,,20,15,,PSTN_IN_TOLLFREE_CO,
                """,
            options: W.options(.numbers, currency: "USD")
        )
        #expect(deck.rates.isEmpty)
        let expected = [
            NumberPrice(
                key: NumberPriceKey(country: "MX", category: "GEOGRAPHIC", regionCode: "55"),
                effectiveFrom: W.instant("2026-02-01"),
                terms: NumberPriceTerms(
                    regionName: "Mexico City",
                    installation: W.amount("12"),
                    monthly: W.amount("6.5"),
                    currency: W.currency("USD"),
                    incomingResource: nil
                ),
                deckVersion: 0
            ),
            NumberPrice(
                key: NumberPriceKey(country: "CO", category: "TOLLFREE", regionCode: nil),
                effectiveFrom: W.now,
                terms: NumberPriceTerms(
                    regionName: nil,
                    installation: W.amount("20"),
                    monthly: W.amount("15"),
                    currency: W.currency("USD"),
                    incomingResource: "PSTN_IN_TOLLFREE_CO"
                ),
                deckVersion: 0
            ),
        ]
        #expect(deck.numberPrices.map(\.entry) == expected)
        #expect(deck.numberPrices.map(\.line) == [2, 3])
    }

    @Test func unknownCountry() {
        let text = onlyProblem(Self.header + "XX,GEOGRAPHIC,,,1,1,USD,,\n", options: W.options(.numbers))
        #expect(text.hasPrefix("deck.csv:2: country: unknown country 'XX'"))
    }

    @Test func badRegionCode() {
        let text = onlyProblem(Self.header + "MX,GEOGRAPHIC,5a,,1,1,USD,,\n", options: W.options(.numbers))
        #expect(text == "deck.csv:2: region_code: '5a' is not a region code (digits of the area code)")
    }

    @Test func duplicateRows() {
        let regional = onlyProblem(
            Self.header + """
                MX,GEOGRAPHIC,55,,1,1,USD,,
                MX,GEOGRAPHIC,55,CDMX,2,2,USD,,
                """,
            options: W.options(.numbers)
        )
        #expect(regional == "deck.csv:3: region_code: duplicate of line 2: same country, category, region and effective_from")
        let national = onlyProblem(
            Self.header + """
                MX,GEOGRAPHIC,,,1,1,USD,,
                MX,GEOGRAPHIC,55,,1,1,USD,,
                MX,geographic,,,2,2,USD,,
                """,
            options: W.options(.numbers)
        )
        #expect(national.hasPrefix("deck.csv:4: category: duplicate of line 2"))
    }

    @Test func missingPricesAndCurrency() {
        let noCurrency = onlyProblem("country,category,installation_price,monthly_price\nMX,GEOGRAPHIC,1,1\n", options: W.options(.numbers))
        #expect(noCurrency == "deck.csv:1: currency: no currency column: add one or give --currency")
        let noMonthly = onlyProblem(Self.header + "MX,GEOGRAPHIC,,,1,,USD,,\n", options: W.options(.numbers))
        #expect(noMonthly == "deck.csv:2: monthly_price: missing value")
    }
}
