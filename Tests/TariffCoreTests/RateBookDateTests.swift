import Testing

@testable import TariffCore

private typealias W = TestWorld

@Suite("RateBook: effective dates")
struct RateBookDateTests {
    static let deck = """
        product,country,price,currency,effective_from
        voice-outbound,ES,0.10,EUR,2026-01-01
        voice-outbound,ES,0.12,EUR,2026-03-01
        """

    @Test func priceBeforeAtAndAfterAChange() throws {
        let book = try W.book(Self.deck)
        #expect(throws: RatingError.self) { _ = try quote(book, "+34910000000", at: "2025-12-31T23:59:59Z") }
        #expect(try quote(book, "+34910000000", at: "2026-01-01").terms.price == W.amount("0.10"))
        #expect(try quote(book, "+34910000000", at: "2026-02-28T23:59:59Z").terms.price == W.amount("0.10"))
        #expect(try quote(book, "+34910000000", at: "2026-03-01").terms.price == W.amount("0.12"))
        #expect(try quote(book, "+34910000000", at: "2027-01-01").terms.price == W.amount("0.12"))
    }

    @Test func scheduledChangeAppearsInNext() throws {
        let book = try W.book(Self.deck)
        let before = try quote(book, "+34910000000", at: "2026-02-01")
        #expect(before.next?.effectiveFrom == W.instant("2026-03-01"))
        #expect(before.next?.terms?.price == W.amount("0.12"))
        #expect(before.explanation.contains("scheduled: 0.12 EUR from 2026-03-01T00:00:00Z"))
        let after = try quote(book, "+34910000000", at: "2026-03-01")
        #expect(after.next == nil)
        #expect(!after.explanation.contains { $0.hasPrefix("scheduled:") })
    }

    @Test func closedVersionUnpricesTheKey() throws {
        let base = try W.rates(Self.deck)
        let closing = base[0].closing(at: W.instant("2026-06-01"))
        let book = try RateBook(deck: "base", version: 2, reference: W.reference, rates: base + [closing], numberPrices: [])
        let last = try quote(book, "+34910000000", at: "2026-05-31T23:59:59Z")
        #expect(last.terms.price == W.amount("0.12"))
        #expect(last.next?.terms == nil)
        #expect(last.next?.effectiveFrom == W.instant("2026-06-01"))
        #expect(last.explanation.contains("scheduled: closed from 2026-06-01T00:00:00Z"))
        let instant = W.instant("2026-06-01")
        #expect(throws: RatingError.noPrice(W.number("+34910000000"), product: .voiceOutbound, at: instant)) {
            _ = try book.quote(W.number("+34910000000"), product: .voiceOutbound, at: instant)
        }
    }

    @Test func newerDeckVersionWinsAtTheSameInstantAndInNext() throws {
        // Deck 1 scheduled 0.20 from May; deck 2 replaced it with 0.15 from the same date.
        let old = try W.rates(Self.deck, deckVersion: 1)
        let replaced = try W.rates(
            """
            product,country,price,currency,effective_from
            voice-outbound,ES,0.20,EUR,2026-05-01
            """,
            deckVersion: 1
        )
        let newer = try W.rates(
            """
            product,country,price,currency,effective_from
            voice-outbound,ES,0.15,EUR,2026-05-01
            """,
            deckVersion: 2
        )
        let book = try RateBook(deck: "base", version: 2, reference: W.reference, rates: newer + old + replaced, numberPrices: [])
        #expect(try quote(book, "+34910000000", at: "2026-05-02").terms.price == W.amount("0.15"))
        let before = try quote(book, "+34910000000", at: "2026-04-01")
        #expect(before.next?.terms?.price == W.amount("0.15"))
        #expect(before.next?.deckVersion == 2)
    }
}
