import Testing

@testable import TariffCore

private typealias W = TestWorld

private let header = "product,country,price,currency,effective_from\n"

/// Rows of a small SMS/voice deck, stamped with `deckVersion` (0 for a file being imported).
private func rows(_ body: String, version: Int64 = 0, now: Instant = W.now) throws -> [Rate] {
    try W.rates(header + body, options: W.options(now: now), deckVersion: version)
}

private func plan(
    existing: [Rate],
    incoming: [Rate],
    complete: ((RateKey) -> Bool)? = { _ in true },
    closeAt: Instant? = nil,
    now: Instant
) -> DeckPlan<Rate> {
    DeckPlanner.plan(
        existing: existing,
        incoming: incoming,
        completeScope: complete,
        closeAt: closeAt ?? now,
        now: now,
        priceOf: { ($0.price, $0.currency) }
    )
}

private func summary(
    new: Int = 0,
    increased: Int = 0,
    decreased: Int = 0,
    unchanged: Int = 0,
    closed: Int = 0,
    otherTerms: Int = 0,
    scheduled: Int = 0,
    rises: [String: Int]? = nil
) -> ChangeSummary {
    var summary = ChangeSummary()
    summary.new = new
    summary.increased = increased
    summary.decreased = decreased
    summary.unchanged = unchanged
    summary.closed = closed
    summary.otherTerms = otherTerms
    summary.scheduled = scheduled
    summary.increasesByDate = rises
    return summary
}

/// The price of `country`'s SMS row at `instant` once `additions` are stored next to `existing`.
private func price(_ country: String, at instant: String, existing: [Rate], additions: [Rate]) -> Amount? {
    let versions = (existing + additions).filter { $0.key.country == country }
    return Timeline(versions).at(W.instant(instant))?.terms?.price
}

@Suite("DeckPlanner.plan")
struct DeckPlannerTests {
    static let base = """
        sms-outbound,ES,0.05,EUR,2026-01-01
        sms-outbound,MX,0.04,USD,2026-01-01
        sms-outbound,DE,0.07,EUR,2026-01-01
        """

    @Test func firstImportAddsEverything() throws {
        let incoming = try rows(Self.base)
        let result = plan(existing: [], incoming: incoming, now: W.instant("2026-01-01"))
        #expect(result.summary == summary(new: 3))
        #expect(result.additions.count == 3)
        #expect(result.additions.allSatisfy { $0.deckVersion == DeckPlanner.pendingVersion })
        #expect(Set(result.additions.map { $0.key }) == Set(incoming.map(\.key)))
        for rate in incoming {
            let added = result.additions.first { $0.key == rate.key }
            #expect(added?.terms == rate.terms)
            #expect(added?.effectiveFrom == rate.effectiveFrom)
        }
    }

    @Test func reimportingTheSameRowsAddsNothing() throws {
        let existing = try rows(Self.base, version: 1)
        let same = plan(existing: existing, incoming: try rows(Self.base), now: W.instant("2026-02-01"))
        #expect(same.additions.isEmpty)
        #expect(same.summary == summary(unchanged: 3))

        // The same prices without dates: they take the import time, and still change nothing.
        let undated = try W.rates(
            """
            product,country,price,currency
            sms-outbound,ES,0.05,EUR
            sms-outbound,MX,0.04,USD
            sms-outbound,DE,0.07,EUR
            """,
            options: W.options(now: W.instant("2026-02-01")),
            deckVersion: 0
        )
        let again = plan(existing: existing, incoming: undated, now: W.instant("2026-02-01"))
        #expect(again.additions.isEmpty)
        #expect(again.summary == summary(unchanged: 3))
    }

    @Test func increaseAndDecreaseAreNewVersionsAtTheirDates() throws {
        let existing = try rows(Self.base, version: 1)
        let incoming = try rows(
            """
            sms-outbound,ES,0.06,EUR,2026-03-01
            sms-outbound,MX,0.03,USD,2026-02-01
            sms-outbound,DE,0.07,EUR,2026-02-01
            """
        )
        let result = plan(existing: existing, incoming: incoming, now: W.instant("2026-02-01"))
        #expect(result.summary == summary(increased: 1, decreased: 1, unchanged: 1, scheduled: 1, rises: ["2026-03-01": 1]))
        #expect(result.additions.count == 2)
        let spain = result.additions.first { $0.key.country == "ES" }
        #expect(spain?.effectiveFrom == W.instant("2026-03-01"))
        #expect(spain?.terms?.price == W.amount("0.06"))
        let mexico = result.additions.first { $0.key.country == "MX" }
        #expect(mexico?.effectiveFrom == W.instant("2026-02-01"))
        #expect(mexico?.terms?.price == W.amount("0.03"))
        #expect(price("ES", at: "2026-02-15", existing: existing, additions: result.additions) == W.amount("0.05"))
        #expect(price("ES", at: "2026-03-01", existing: existing, additions: result.additions) == W.amount("0.06"))
    }

    @Test func currencyChangeCountsAsOtherTerms() throws {
        let existing = try rows(Self.base, version: 1)
        let incoming = try rows("sms-outbound,MX,0.04,MXN,2026-02-01\n")
        let result = plan(existing: existing, incoming: incoming, complete: nil, now: W.instant("2026-02-01"))
        #expect(result.summary == summary(otherTerms: 1))
        #expect(result.additions.map { $0.terms?.currency } == [W.currency("MXN")])
    }

    @Test func completeListClosesOmittedKeys() throws {
        let existing = try rows(Self.base, version: 1)
        let incoming = try rows("sms-outbound,ES,0.05,EUR,2026-02-01\n")
        let now = W.instant("2026-02-01")
        let closeAt = W.instant("2026-02-15")
        let result = plan(existing: existing, incoming: incoming, closeAt: closeAt, now: now)
        #expect(result.summary == summary(unchanged: 1, closed: 2, scheduled: 2))
        #expect(result.additions.count == 2)
        #expect(result.additions.allSatisfy { $0.terms == nil && $0.effectiveFrom == closeAt })
        #expect(Set(result.additions.compactMap(\.key.country)) == ["MX", "DE"])
        #expect(price("MX", at: "2026-02-14", existing: existing, additions: result.additions) == W.amount("0.04"))
        #expect(price("MX", at: "2026-02-15", existing: existing, additions: result.additions) == nil)
        #expect(price("ES", at: "2026-03-01", existing: existing, additions: result.additions) == W.amount("0.05"))
    }

    @Test func completeScopeLimitsWhatIsClosed() throws {
        let existing = try rows(Self.base + "\nvoice-outbound,ES,0.10,EUR,2026-01-01", version: 1)
        let incoming = try rows("sms-outbound,ES,0.05,EUR,2026-02-01\n")
        let result = plan(existing: existing, incoming: incoming, complete: { $0.product == .smsOutbound }, now: W.instant("2026-02-01"))
        #expect(result.summary.closed == 2)
        #expect(!result.additions.contains { $0.key.product == .voiceOutbound })
    }

    @Test func partialImportClosesNothing() throws {
        let existing = try rows(Self.base, version: 1)
        let incoming = try rows("sms-outbound,ES,0.06,EUR,2026-02-01\n")
        let result = plan(existing: existing, incoming: incoming, complete: nil, now: W.instant("2026-02-01"))
        #expect(result.summary == summary(increased: 1, rises: ["2026-02-01": 1]))
        #expect(result.additions.count == 1)
        #expect(result.additions.first?.key.country == "ES")
        #expect(price("MX", at: "2027-01-01", existing: existing, additions: result.additions) == W.amount("0.04"))
    }

    @Test func alreadyClosedKeyIsNotClosedAgain() throws {
        var existing = try rows(Self.base, version: 1)
        existing.append(existing.first { $0.key.country == "MX" }!.closing(at: W.instant("2026-01-15")))
        let incoming = try rows(
            """
            sms-outbound,ES,0.05,EUR,2026-02-01
            sms-outbound,DE,0.07,EUR,2026-02-01
            """
        )
        let result = plan(existing: existing, incoming: incoming, now: W.instant("2026-02-01"))
        #expect(result.additions.isEmpty)
        #expect(result.summary == summary(unchanged: 2))
    }

    @Test func risesAreListedWithTheRowThatAsksAndTheNoticeTheyGive() throws {
        let now = W.instant("2026-02-01")
        let existing = try rows(
            """
            sms-outbound,ES,0.10,EUR,2026-01-01
            sms-outbound,DE,0.07,EUR,2026-01-01
            sms-outbound,MX,0.03,EUR,2026-01-01
            """,
            version: 1
        )
        // ES rises in 3 days, DE in 8, MX falls, PL is new: rises only for ES and DE.
        let parsed = try W.parse(
            header
                + """
                sms-outbound,MX,0.02,EUR,2026-02-01
                sms-outbound,ES,0.11,EUR,2026-02-04
                sms-outbound,PL,0.09,EUR,2026-02-01
                sms-outbound,DE,0.08,EUR,2026-02-09
                """,
            options: W.options(now: now)
        )
        let result = DeckPlanner.planRates(existing: existing, rows: parsed.rates, completeScope: nil, closeAt: now, now: now)
        #expect(result.increases.map { parsed.rates[$0.row].line } == [3, 5])
        #expect(result.increases.map(\.old) == [W.amount("0.10"), W.amount("0.07")])
        #expect(result.increases.map(\.new) == [W.amount("0.11"), W.amount("0.08")])
        #expect(result.summary.increasesByDate == ["2026-02-04": 1, "2026-02-09": 1])
        #expect(result.increases.map { $0.isShortNotice(days: 7, now: now) } == [true, false])
        #expect(result.increases.map { $0.isShortNotice(days: 3, now: now) } == [false, false])

        var notice = NoticeCheck(days: 7, now: now, file: "rise.csv")
        notice.check(result.increases, rows: parsed.rates)
        #expect(
            notice.failure?.problems.map(\.description) == [
                "rise.csv:3: effective_from: raises 0.1 to 0.11 EUR from 2026-02-04T00:00:00Z, in 3 days: a rise needs 7 days' notice (--allow-short-notice imports it anyway)"
            ]
        )
        var none = NoticeCheck(days: nil, now: now, file: "rise.csv")
        none.check(result.increases, rows: parsed.rates)
        #expect(none.failure == nil)
    }

    @Test func newerFileOverridesAnOlderScheduledChange() throws {
        // Deck 1 said 0.10 from January, then 0.20 from May.
        let existing = try rows(
            """
            sms-outbound,ES,0.10,EUR,2026-01-01
            sms-outbound,ES,0.20,EUR,2026-05-01
            """,
            version: 1
        )
        // Deck 2, imported in February, says 0.15 from March on.
        let incoming = try rows("sms-outbound,ES,0.15,EUR,2026-03-01\n")
        let result = plan(existing: existing, incoming: incoming, now: W.instant("2026-02-01"))
        #expect(result.summary == summary(increased: 1, scheduled: 2, rises: ["2026-03-01": 1]))
        #expect(price("ES", at: "2026-02-15", existing: existing, additions: result.additions) == W.amount("0.10"))
        #expect(price("ES", at: "2026-03-01", existing: existing, additions: result.additions) == W.amount("0.15"))
        #expect(price("ES", at: "2026-05-01", existing: existing, additions: result.additions) == W.amount("0.15"))
        #expect(price("ES", at: "2027-01-01", existing: existing, additions: result.additions) == W.amount("0.15"))

        // A book over both decks agrees, and does not announce the cancelled 0.20 as the next change.
        let stored = result.additions.map { rate -> Rate in
            var rate = rate
            rate.deckVersion = 2
            return rate
        }
        let book = try RateBook(deck: "base", version: 2, reference: W.reference, rates: existing + stored, numberPrices: [])
        let quote = try book.quote(W.number("+34611234567"), product: .smsOutbound, at: W.instant("2026-04-01"))
        #expect(quote.terms.price == W.amount("0.15"))
        #expect(quote.next?.terms?.price != W.amount("0.20"))
    }

    @Test func omittingAKeyAlsoCancelsItsScheduledChange() throws {
        let existing = try rows(
            """
            sms-outbound,ES,0.10,EUR,2026-01-01
            sms-outbound,ES,0.20,EUR,2026-05-01
            sms-outbound,MX,0.04,USD,2026-01-01
            """,
            version: 1
        )
        let incoming = try rows("sms-outbound,MX,0.04,USD,2026-02-01\n")
        let result = plan(existing: existing, incoming: incoming, now: W.instant("2026-02-01"))
        #expect(result.summary == summary(unchanged: 1, closed: 1, scheduled: 1))
        #expect(price("ES", at: "2026-02-01", existing: existing, additions: result.additions) == nil)
        #expect(price("ES", at: "2026-05-01", existing: existing, additions: result.additions) == nil)
        #expect(price("ES", at: "2027-01-01", existing: existing, additions: result.additions) == nil)
    }

    @Test func severalDatesForOneKey() throws {
        let now = W.instant("2026-01-10")
        let fresh = plan(
            existing: [],
            incoming: try rows(
                """
                sms-outbound,ES,0.10,EUR,2026-01-01
                sms-outbound,ES,0.12,EUR,2026-06-01
                """
            ),
            now: now
        )
        #expect(fresh.summary == summary(new: 1, scheduled: 1, rises: ["2026-06-01": 1]))
        #expect(fresh.additions.map(\.effectiveFrom) == [W.instant("2026-01-01"), W.instant("2026-06-01")])
        #expect(fresh.additions.map { $0.terms?.price } == [W.amount("0.10"), W.amount("0.12")])

        // Stored: 0.10 now, 0.30 scheduled for April. File: 0.10 now, 0.12 from June.
        let existing = try rows(
            """
            sms-outbound,ES,0.10,EUR,2026-01-01
            sms-outbound,ES,0.30,EUR,2026-04-01
            """,
            version: 1
        )
        let result = plan(
            existing: existing,
            incoming: try rows(
                """
                sms-outbound,ES,0.10,EUR,2026-01-10
                sms-outbound,ES,0.12,EUR,2026-06-01
                """
            ),
            now: now
        )
        #expect(result.summary == summary(increased: 1, scheduled: 2, rises: ["2026-06-01": 1]))
        #expect(result.additions.map(\.effectiveFrom) == [W.instant("2026-04-01"), W.instant("2026-06-01")])
        #expect(price("ES", at: "2026-04-02", existing: existing, additions: result.additions) == W.amount("0.10"))
        #expect(price("ES", at: "2026-06-01", existing: existing, additions: result.additions) == W.amount("0.12"))
    }

    @Test func fileRowThatClosesAKey() throws {
        let existing = try rows(Self.base, version: 1)
        let closing = existing.first { $0.key.country == "DE" }!.closing(at: W.instant("2026-03-01"))
        let result = plan(existing: existing, incoming: [closing], complete: nil, now: W.instant("2026-02-01"))
        #expect(result.summary == summary(closed: 1, scheduled: 1))
        #expect(price("DE", at: "2026-02-28", existing: existing, additions: result.additions) == W.amount("0.07"))
        #expect(price("DE", at: "2026-03-01", existing: existing, additions: result.additions) == nil)
    }
}

@Suite("DeckPlanner.checkFlags")
struct DeckPlannerFlagTests {
    @Test func flagsThatContradictTodaysPrices() throws {
        let deck = try W.parse(
            """
            Code,Rate,Change
            34,0.12,Decrease
            52,0.02,Increase
            57,0.05,Unchanged
            44,0.06,New
            1,0.01,New
            3461,0.05,Increase
            3491,0.03,Decrease
            4930,0.07,Unchanged
            5255,,Closed
            5281,0.01,Increase
            4420,0.08,Increase
            """,
            file: "acme.csv",
            options: W.options(.carrier, currency: "USD")
        )
        func terms(_ price: String, _ currency: String = "USD") -> RateTerms {
            RateTerms(
                price: W.amount(price),
                currency: W.currency(currency),
                increment: .perMinute,
                connectFee: .zero,
                description: "",
                resource: "PSTN_INTERNATIONAL"
            )
        }
        let today: [String: RateTerms] = [
            "34": terms("0.10"), "52": terms("0.03"), "57": terms("0.04"), "44": terms("0.06"),
            "3461": terms("0.04"), "3491": terms("0.04"), "4930": terms("0.07"), "5255": terms("0.09"),
            "5281": terms("0.05", "EUR"), "4420": terms("0.08"),
        ]
        let problems = DeckPlanner.checkFlags(deck.rates, current: { today[$0.prefix ?? ""] }, file: "acme.csv")
        #expect(
            problems.map(\.description) == [
                "acme.csv:2: change: flagged Decrease but 0.12 is not lower than today's 0.1",
                "acme.csv:3: change: flagged Increase but 0.02 is not higher than today's 0.03",
                "acme.csv:4: change: flagged Unchanged but 0.05 differs from today's 0.04",
                "acme.csv:5: change: flagged New but 44 is priced today at 0.06 USD",
                "acme.csv:12: change: flagged Increase but 0.08 is not higher than today's 0.08",
            ]
        )
    }

    @Test func rowsWithoutFlagsAreNotChecked() throws {
        let deck = try W.parse(
            """
            product,prefix,price,currency
            voice-outbound,34,0.50,USD
            """
        )
        let problems = DeckPlanner.checkFlags(
            deck.rates,
            current: { _ in
                RateTerms(
                    price: W.amount("0.10"),
                    currency: W.currency("USD"),
                    increment: .perMinute,
                    connectFee: .zero,
                    description: "",
                    resource: "PSTN_INTERNATIONAL"
                )
            },
            file: "deck.csv"
        )
        #expect(problems.isEmpty)
    }
}
