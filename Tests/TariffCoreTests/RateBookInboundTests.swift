import Testing

@testable import TariffCore

private typealias W = TestWorld

@Suite("RateBook: inbound rates vary with the caller")
struct RateBookInboundTests {
    static let deck = """
        product,country,prefix,network,number_type,origin,price,currency,resource
        voice-inbound,CO,,,toll_free,,0.02,USD,PSTN_IN_TOLLFREE_CO
        voice-inbound,CO,573,,toll_free,,0.09,USD,PSTN_IN_TOLLFREE_CO
        voice-inbound,CO,,732101,toll_free,,0.07,USD,PSTN_IN_TOLLFREE_CO
        voice-inbound,CO,,21407,toll_free,,0.11,USD,PSTN_IN_TOLLFREE_CO
        voice-inbound,CO,,,toll_free,domestic,0.015,USD,PSTN_IN_TOLLFREE_CO
        voice-inbound,CO,,,,,0.03,USD,
        """
    static let tollFree = "+5718000123"

    @Test func anyCallerRow() throws {
        let book = try W.book(Self.deck)
        let q = try quote(book, Self.tollFree, .voiceInbound)
        #expect(q.terms.price == W.amount("0.02"))
        #expect(q.match == .caller("any caller"))
        #expect(q.terms.resource == "PSTN_IN_TOLLFREE_CO")
        #expect(q.explanation.contains("list: calls to CO toll_free numbers"))
    }

    @Test func callerPrefixRowWins() throws {
        let book = try W.book(Self.deck)
        let q = try quote(book, Self.tollFree, .voiceInbound, from: .number(W.number("+573001234567")))
        #expect(q.terms.price == W.amount("0.09"))
        #expect(q.match == .caller("caller prefix 573"))
        // A Claro caller is in 573 too: the prefix row beats the network row.
        let claro = try quote(book, Self.tollFree, .voiceInbound, from: .number(W.number("+573101234567")))
        #expect(claro.match == .caller("caller prefix 573"))
    }

    @Test func callerNetworkRow() throws {
        let book = try W.book(Self.deck)
        // A Movistar Spain caller: the row names the caller's network, not the number's.
        let q = try quote(book, Self.tollFree, .voiceInbound, from: .number(W.number("+34611234567")))
        #expect(q.terms.price == W.amount("0.11"))
        #expect(q.match == .caller("caller network 21407"))
        // A Vodafone Spain caller has no row of its own.
        let other = try quote(book, Self.tollFree, .voiceInbound, from: .number(W.number("+34612345678")))
        #expect(other.match == .caller("any caller"))
        #expect(other.terms.price == W.amount("0.02"))
    }

    @Test func domesticCallerTakesTheDomesticRow() throws {
        let book = try W.book(Self.deck)
        let q = try quote(book, Self.tollFree, .voiceInbound, from: .country("CO"))
        #expect(q.terms.price == W.amount("0.015"))
        #expect(q.list == .domestic)
    }

    @Test func categoryWithoutRowsTakesTheCountryRow() throws {
        let book = try W.book(Self.deck)
        let q = try quote(book, "+573001234567", .voiceInbound)
        #expect(q.terms.price == W.amount("0.03"))
        #expect(q.terms.resource == "PSTN_IN")
        #expect(throws: RatingError.self) { _ = try quote(book, "+34900123456", .voiceInbound) }
    }
}
