import Testing

@testable import TariffCore

private typealias W = TestWorld

@Suite("DeckParser: carrier A–Z decks")
struct DeckParserCarrierTests {
    static let deck = """
        # ACME Telecom A-Z rate deck
        # All rates in USD per minute
         DIAL   Code ,Destination,Rate/Min,Effective Date,Billing Increment,Change
        34,Spain,0.02,2026-01-01,60-60,Unchanged
        3461,Spain Mobile Movistar,0.05,2026-02-01,1/1,Increase
        52,Mexico,0.03,2026-01-01,60/60,New
        5255,Mexico City,,2026-01-15,,Closed
        57,Colombia,0.04,2026-01-01,,Decrease
        """

    @Test func looseHeadersAndFlags() throws {
        let deck = try W.parse(Self.deck, options: W.options(.carrier, currency: "USD", origin: .international))
        #expect(deck.kind == .carrier)
        #expect(deck.rates.map(\.line) == [4, 5, 6, 7, 8])
        #expect(deck.rates.map(\.flag) == [.unchanged, .increase, .new, .closed, .decrease])
        #expect(
            deck.rates.map(\.entry.key) == [
                key(.voiceOutbound, .international, country: "ES", prefix: "34"),
                key(.voiceOutbound, .international, country: "ES", prefix: "3461"),
                key(.voiceOutbound, .international, country: "MX", prefix: "52"),
                key(.voiceOutbound, .international, country: "MX", prefix: "5255"),
                key(.voiceOutbound, .international, country: "CO", prefix: "57"),
            ]
        )
        let movistar = deck.rates[1].entry
        #expect(movistar.effectiveFrom == W.instant("2026-02-01"))
        #expect(
            movistar.terms == rateTerms("0.05", "USD", increment: .perSecond, description: "Spain Mobile Movistar", resource: "PSTN_INTERNATIONAL")
        )
        #expect(deck.rates[0].entry.terms?.increment == .perMinute)
        #expect(deck.rates[4].entry.terms?.increment == .perMinute)
    }

    @Test func closedRowsBecomeClosingVersions() throws {
        let deck = try W.parse(Self.deck, options: W.options(.carrier, currency: "USD"))
        let closed = deck.rates[3]
        #expect(closed.entry.terms == nil)
        #expect(closed.entry.effectiveFrom == W.instant("2026-01-15"))
        #expect(closed.entry.key.prefix == "5255")
        #expect(closed.entry.key.origin == .any)
        #expect(deck.rates.filter { $0.entry.terms == nil }.count == 1)
    }

    @Test func missingCurrencyIsReportedOnceAtTheHeader() {
        let problems = W.problems(Self.deck, options: W.options(.carrier))
        // The notice block takes lines 1-2; the header is line 3.
        #expect(problems.map(\.description) == ["deck.csv:3: currency: a carrier deck has no currency column: give --currency"])
    }

    @Test func unknownChangeFlag() {
        let text = onlyProblem(
            """
            Code,Rate,Status
            34,0.02,Maybe
            """,
            options: W.options(.carrier, currency: "USD")
        )
        #expect(text.hasPrefix("deck.csv:2: change: unknown change flag 'Maybe'"))
    }

    @Test func deckWithoutChangeColumnHasNoFlags() throws {
        let options = W.options(.carrier, currency: "USD")
        let deck = try W.parse("Code,Rate\n34,0.50\n", options: options)
        #expect(deck.rates.map(\.flag) == [nil])
        // So a new price is not reported as a contradicted "Unchanged".
        let today = RateTerms(
            price: W.amount("0.10"),
            currency: W.currency("USD"),
            increment: .perMinute,
            connectFee: .zero,
            description: "",
            resource: "PSTN_INTERNATIONAL"
        )
        #expect(DeckPlanner.checkFlags(deck.rates, current: { _ in today }, file: "deck.csv").isEmpty)
        // An empty cell of a change column still says Unchanged.
        let blank = try W.parse("Code,Rate,Change\n34,0.50,\n", options: options)
        #expect(blank.rates.map(\.flag) == [.unchanged])
    }

    @Test func carrierDeckNeedsADialCode() {
        let text = onlyProblem(
            """
            Destination,Rate
            Spain,0.02
            """,
            options: W.options(.carrier, currency: "USD")
        )
        #expect(text == "deck.csv:1: prefix: required column is missing")
    }
}
