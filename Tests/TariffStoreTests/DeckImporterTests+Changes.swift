import Foundation
import Logging
import TariffCore
import Testing

@testable import TariffStore

extension DeckImporterTests {
    @Test("re-importing the same complete deck changes nothing")
    func reimportIsUnchanged() async throws {
        try await withImportFixture { fixture in
            let path = try fixture.write("deck.csv", Self.deck)
            _ = try await fixture.importRates(path)
            let rates = try await fixture.store.decks.rates(deck: "base")
            let again = try await fixture.importRates(path, now: instant("2026-11-21T00:00:00Z"))
            #expect(again.summary.unchanged == 6)
            #expect(again.summary.new == 0 && again.summary.closed == 0)
            #expect(again.additions == 0)
            #expect(try await fixture.store.decks.rates(deck: "base") == rates)
        }
    }

    @Test("a complete deck that drops a row closes it from the import on")
    func droppedRowIsClosed() async throws {
        try await withImportFixture { fixture in
            _ = try await fixture.importRates(try fixture.write("deck.csv", Self.deck))
            let later = instant("2026-11-25T12:00:00Z")
            // France and the Syma prefix are gone from the second deck.
            let shorter = Self.deck.split(separator: "\n").filter { !$0.contains("France") && !$0.contains("34612") }.joined(separator: "\n") + "\n"
            let outcome = try await fixture.importRates(try fixture.write("shorter.csv", shorter), now: later)
            let version = try #require(outcome.version)
            #expect(outcome.summary.closed == 2)
            #expect(outcome.summary.unchanged == 4)
            #expect(outcome.additions == 2)

            let stored = try await fixture.store.decks.rates(deck: "base")
            let closing = stored.filter { $0.deckVersion == version.id }
            #expect(closing.count == 2)
            #expect(closing.allSatisfy { $0.terms == nil && $0.effectiveFrom == later })

            let book = try await fixture.book()
            let justBefore = later.adding(seconds: -1)
            let paris = number("+33123456789")
            #expect(try book.quote(paris, product: .voiceOutbound, at: justBefore).price.amount == amount("0.03"))
            #expect(throws: RatingError.self) { try book.quote(paris, product: .voiceOutbound, at: later) }
            #expect(throws: RatingError.self) { try book.quote(paris, product: .voiceOutbound, at: instant("2027-01-01")) }
            // The Syma number falls back to the Spanish mobile price.
            let syma = number("+34612345678")
            #expect(try book.quote(syma, product: .voiceOutbound, at: justBefore).match == .prefix("34612"))
            let after = try book.quote(syma, product: .voiceOutbound, at: later)
            #expect(after.match == .numberType(.mobile))
            #expect(after.price.amount == amount("0.06"))
            // The quote before the close announces it.
            let announced = try book.quote(syma, product: .voiceOutbound, at: justBefore).next
            #expect(announced?.effectiveFrom == later)
            #expect(announced?.terms == nil)
        }
    }

    @Test("a scheduled change applies from its date, and a later deck can cancel it")
    func scheduledChange() async throws {
        try await withImportFixture { fixture in
            let scheduled = Self.deck + "voice-outbound,,,34612,,international,0.09,EUR,1/1,0.01,2026-12-01,\"Spain Mobile, Syma\"\n"
            let outcome = try await fixture.importRates(try fixture.write("scheduled.csv", scheduled))
            #expect(outcome.summary.scheduled == 1)
            let syma = number("+34612345678")
            var book = try await fixture.book()
            let now = try book.quote(syma, product: .voiceOutbound, at: ImportFixture.now)
            #expect(now.price.amount == amount("0.07"))
            #expect(now.next?.effectiveFrom == instant("2026-12-01"))
            #expect(now.next?.terms?.price == amount("0.09"))
            #expect(try book.quote(syma, product: .voiceOutbound, at: instant("2026-11-30T23:59:59Z")).price.amount == amount("0.07"))
            #expect(try book.quote(syma, product: .voiceOutbound, at: instant("2026-12-01")).price.amount == amount("0.09"))

            // The deck without the scheduled row is the complete list again: 0.07 stays.
            let cancel = try await fixture.importRates(try fixture.write("deck.csv", Self.deck), now: instant("2026-11-21"))
            #expect(cancel.additions == 1)
            book = try await fixture.book()
            #expect(try book.quote(syma, product: .voiceOutbound, at: instant("2026-12-02")).price.amount == amount("0.07"))
            // What a quote announces as the next change is what applies from then on.
            let quote = try book.quote(syma, product: .voiceOutbound, at: instant("2026-11-22"))
            if let next = quote.next {
                let then = try book.quote(syma, product: .voiceOutbound, at: next.effectiveFrom)
                #expect(next.terms == then.terms, "announced \(String(describing: next.terms)) but \(then.terms) applies")
            }
        }
    }
}
