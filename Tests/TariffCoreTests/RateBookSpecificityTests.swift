import Testing

@testable import TariffCore

private typealias W = TestWorld

@Suite("RateBook: which row prices a number")
struct RateBookSpecificityTests {
    /// One list with a row of every kind for Spain.
    static let deck = """
        product,country,network,prefix,number_type,price,currency,description
        voice-outbound,ES,,,,0.10,EUR,Spain
        voice-outbound,,ES-FIXED,,,0.02,EUR,Spain Fixed
        voice-outbound,ES,,,landline_tollfree,0.20,EUR,Spain Toll Free
        voice-outbound,,21407,,,0.05,EUR,Spain Movistar
        voice-outbound,,,346111,,0.01,EUR,Spain Movistar special block
        """

    @Test func longestPrefixBeatsNetwork() throws {
        let book = try W.book(Self.deck)
        let q = try quote(book, "+34611100000")
        #expect(q.price == Money(W.amount("0.01"), W.currency("EUR")))
        #expect(q.match == .prefix("346111"))
        #expect(q.terms.description == "Spain Movistar special block")
    }

    @Test func networkBeatsNumberTypeAndCountry() throws {
        let book = try W.book(Self.deck)
        let q = try quote(book, "+34611234567")
        #expect(q.terms.price == W.amount("0.05"))
        #expect(q.match == .network("21407", name: "Movistar"))
        #expect(q.rate.key.network == "21407")
        #expect(q.rate.key.country == "ES")
    }

    @Test func pseudoNetworkPricesItsNumberType() throws {
        let book = try W.book(Self.deck)
        let q = try quote(book, "+34910000000")
        #expect(q.terms.price == W.amount("0.02"))
        #expect(q.match == .numberType(.landline))
        #expect(q.rate.key.network == "ES-FIXED")
    }

    @Test func countryRowWithNumberTypePricesThatType() throws {
        let book = try W.book(Self.deck)
        let q = try quote(book, "+34900123456")
        #expect(q.terms.price == W.amount("0.20"))
        #expect(q.match == .numberType(.landlineTollfree))
    }

    @Test func countryDefaultWhenNothingMoreSpecificFits() throws {
        let book = try W.book(Self.deck)
        // Vodafone's range: no row for network 21401, a mobile number (no ES-MOBILE row).
        let vodafone = try quote(book, "+34612345678")
        #expect(vodafone.terms.price == W.amount("0.10"))
        #expect(vodafone.match == .country("ES"))
        // Premium rate: typed, but no row for that type.
        #expect(try quote(book, "+34806123456").match == .country("ES"))
        // Outside every range: the calling code still says Spain.
        let unranged = try quote(book, "+34950000000")
        #expect(unranged.match == .country("ES"))
        #expect(unranged.destination.range == nil)
    }

    @Test func longestOfSeveralPrefixesWins() throws {
        let book = try W.book(
            """
            product,prefix,price,currency
            voice-outbound,34,0.30,EUR
            voice-outbound,3461,0.20,EUR
            voice-outbound,346111,0.10,EUR
            """
        )
        #expect(try quote(book, "+34611100000").match == .prefix("346111"))
        #expect(try quote(book, "+34611200000").match == .prefix("3461"))
        #expect(try quote(book, "+34910000000").match == .prefix("34"))
        #expect(try quote(book, "+34910000000").terms.price == W.amount("0.30"))
    }

    @Test func closedPrefixFallsBackToShorterPrefixThenNetwork() throws {
        let csv = """
            product,network,prefix,price,currency,effective_from
            voice-outbound,,3461,0.20,EUR,2026-01-01
            voice-outbound,,346111,0.10,EUR,2026-01-01
            voice-outbound,21407,,0.05,EUR,2026-01-01
            """
        let base = try W.rates(csv)
        let close346111 = base.first { $0.key.prefix == "346111" }!.closing(at: W.instant("2026-03-01"))
        let close3461 = base.first { $0.key.prefix == "3461" }!.closing(at: W.instant("2026-04-01"))
        let book = try RateBook(deck: "base", version: 2, reference: W.reference, rates: base + [close346111, close3461], numberPrices: [])
        #expect(try quote(book, "+34611100000", at: "2026-02-01").match == .prefix("346111"))
        #expect(try quote(book, "+34611100000", at: "2026-03-15").match == .prefix("3461"))
        #expect(try quote(book, "+34611100000", at: "2026-04-15").match == .network("21407", name: "Movistar"))
    }

    @Test func unknownDestinationIsAnError() throws {
        let book = try W.book(Self.deck)
        #expect(throws: RatingError.unknownDestination(W.number("+999123456"))) {
            _ = try quote(book, "+999123456")
        }
    }

    @Test func numberWithoutAnyFittingRowHasNoPrice() throws {
        let book = try W.book(Self.deck)
        let instant = W.instant("2026-02-01")
        #expect(throws: RatingError.noPrice(W.number("+525512345678"), product: .voiceOutbound, at: instant)) {
            _ = try quote(book, "+525512345678")
        }
        // Another product has no list at all.
        #expect(throws: RatingError.noPrice(W.number("+34611234567"), product: .smsOutbound, at: instant)) {
            _ = try quote(book, "+34611234567", .smsOutbound)
        }
    }

    @Test func explanationNamesTheRowAndTheList() throws {
        let book = try W.book(Self.deck)
        let lines = try quote(book, "+34611100000").explanation
        #expect(lines.first == "+34611100000: Spain (ES), mobile, network 21407 Movistar, range 3461")
        // The deck's rows are for any origin: the international list is tried first and has nothing.
        #expect(lines.contains("no international price for this number"))
        #expect(lines.contains("list: rows for any origin"))
        #expect(lines.contains { $0.hasPrefix("row: longest matching prefix 346111") && $0.contains("\"Spain Movistar special block\"") })
        #expect(lines.contains("effective from 2026-01-01T00:00:00Z (deck version 1)"))

        let network = try quote(book, "+34611234567").explanation
        #expect(network.contains { $0.hasPrefix("row: network 21407 (Movistar)") })
    }
}
