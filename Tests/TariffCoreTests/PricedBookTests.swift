import Testing

@testable import TariffCore

private typealias W = TestWorld

@Suite("Priced books: every price a book answers, through an account's price plan")
struct PricedBookTests {
    static let header = "product,country,network,price,currency,effective_from\n"
    static let deck =
        header + """
            sms-outbound,ES,21407,0.05,EUR,2026-01-01
            sms-outbound,ES,,0.07,EUR,2026-01-01
            sms-outbound,DE,,0.0123,EUR,2026-01-01
            """

    static func schedule(_ versions: (String, [PlanRule], Rounding?)...) -> PlanSchedule {
        PlanSchedule(
            name: "gold",
            versions: versions.enumerated().map { index, version in
                PlanVersion(
                    id: Int64(index + 1),
                    effectiveFrom: W.instant(version.0),
                    createdAt: W.instant("2025-12-01"),
                    plan: PricePlan(name: "gold", rules: version.1, rounding: version.2)
                )
            }
        )
    }

    static let gold = schedule(
        (
            "2026-01-01",
            [
                PlanRule(product: .smsOutbound, country: "ES", markupPercent: W.amount("15"), markupFixed: W.amount("0.001"), line: 3),
                PlanRule(markupPercent: W.amount("20"), line: 2),
            ],
            Rounding(decimals: 4, mode: .up)
        )
    )

    @Test func aQuoteAndTheListingPriceARowAlike() throws {
        let book = PricedBook(try W.book(Self.deck, options: W.options(product: .smsOutbound)), plan: Self.gold)
        let at = W.instant("2026-02-01")
        // Movistar: 0.05 + 15 % = 0.0575, + 0.001 = 0.0585 (4 decimals already).
        let movistar = try book.quote(W.number("+34611234567"), product: .smsOutbound, at: at)
        #expect(movistar.terms.price == W.amount("0.0585"))
        #expect(movistar.plan?.priced.cost == W.amount("0.05"))
        #expect(movistar.plan?.priced.rule?.line == 3)
        #expect(
            movistar.explanation.last
                == "plan gold (version 1): rule \"sms-outbound ES: +15 % +0.001\" (line 3): cost 0.05, +15 % = 0.0575, +0.001 = 0.0585"
        )
        // Germany takes the rule for every price: 0.0123 + 20 % = 0.01476, rounded up to 0.0148.
        let germany = try book.quote(W.number("+4915112345678"), product: .smsOutbound, at: at)
        #expect(germany.terms.price == W.amount("0.0148"))
        #expect(germany.plan?.priced.rule?.line == 2)
        // The listing prices each row as the quote does.
        let listed = book.rates(at: at, product: .smsOutbound)
        #expect(listed.first { $0.key.network == "21407" }?.terms?.price == movistar.terms.price)
        #expect(listed.first { $0.key.country == "DE" }?.terms?.price == germany.terms.price)
        #expect(listed.first { $0.key.country == "ES" && $0.key.network == nil }?.terms?.price == W.amount("0.0815"))
        #expect(book.rate(for: W.number("+34611234567"), product: .smsOutbound, list: .any, at: at)?.terms?.price == W.amount("0.0585"))
    }

    @Test func withoutAPlanTheBookAnswersUnchanged() throws {
        let rates = try W.book(Self.deck, options: W.options(product: .smsOutbound))
        let book = PricedBook(rates)
        let at = W.instant("2026-02-01")
        let quote = try book.quote(W.number("+34611234567"), product: .smsOutbound, at: at)
        #expect(quote.terms.price == W.amount("0.05"))
        #expect(quote.plan == nil)
        #expect(book.rates(at: at) == rates.rates(at: at))
    }

    @Test func eachPlanVersionAppliesFromItsDate() throws {
        let plan = Self.schedule(
            ("2026-01-15", [PlanRule(markupPercent: W.amount("10"))], nil),
            ("2026-03-01", [PlanRule(markupPercent: W.amount("50"))], nil)
        )
        let book = PricedBook(try W.book(Self.deck, options: W.options(product: .smsOutbound)), plan: plan)
        let number = W.number("+34611234567")
        // Before the first version, the deck's price.
        #expect(try book.quote(number, product: .smsOutbound, at: W.instant("2026-01-10")).terms.price == W.amount("0.05"))
        #expect(try book.quote(number, product: .smsOutbound, at: W.instant("2026-02-01")).terms.price == W.amount("0.055"))
        #expect(try book.quote(number, product: .smsOutbound, at: W.instant("2026-03-01")).plan?.version == 2)
        #expect(try book.quote(number, product: .smsOutbound, at: W.instant("2026-03-01")).terms.price == W.amount("0.075"))
        // Anything rendered in February holds until the plan's next version.
        #expect(book.nextScheduledChange(after: W.instant("2026-02-01")) == W.instant("2026-03-01"))
    }

    @Test func numberFeesAndMeteredServicesTakeTheRulesWithoutAProduct() throws {
        let mobile = NumberPrice(
            key: NumberPriceKey(country: "ES", category: "MOBILE", regionCode: nil),
            effectiveFrom: W.instant("2026-01-01"),
            terms: NumberPriceTerms(
                regionName: nil,
                installation: W.amount("1"),
                monthly: W.amount("2"),
                currency: W.currency("EUR"),
                incomingResource: nil
            ),
            deckVersion: 1
        )
        let speech = ServicePrice(
            key: ServicePriceKey(product: "tts", variant: nil, country: "ES"),
            effectiveFrom: W.instant("2026-01-01"),
            terms: ServicePriceTerms(
                unit: "character",
                price: W.amount("0.00002"),
                perUnits: 1,
                minimum: 0,
                increment: UnitIncrement(initial: 1, subsequent: 1)!,
                setupFee: W.amount("0.01"),
                currency: W.currency("EUR"),
                description: "",
                resource: "TTS"
            ),
            deckVersion: 1
        )
        let rates = try RateBook(deck: "base", version: 1, reference: W.reference, rates: [], numberPrices: [mobile], servicePrices: [speech])
        let plan = Self.schedule(
            (
                "2026-01-01",
                [
                    PlanRule(product: .smsOutbound, markupPercent: W.amount("90")),
                    PlanRule(country: "ES", numberType: "mobile", markupPercent: W.amount("10"), markupFixed: W.amount("0.5")),
                    PlanRule(country: "ES", markupPercent: W.amount("50")),
                ],
                nil
            )
        )
        let book = PricedBook(rates, plan: plan)
        let at = W.instant("2026-02-01")
        let fees = try #require(book.numberPrice(country: "ES", category: "MOBILE", at: at)?.terms)
        // Monthly: 2 + 10 % + 0.5 = 2.7; the one-time fee takes the percentage only: 1.1.
        #expect(fees.monthly == W.amount("2.7"))
        #expect(fees.installation == W.amount("1.1"))
        #expect(book.numberPrices(at: at).first?.terms == fees)
        let quote = try book.services.quote(product: "tts", variant: nil, country: "ES", at: at)
        #expect(quote.terms.price == W.amount("0.00003"))
        #expect(quote.terms.setupFee == W.amount("0.015"))
        #expect(quote.plan?.priced.rule?.markupPercent == W.amount("50"))
        #expect(book.services.inForce(at: at).first?.terms == quote.terms)
    }

    @Test func theChangeFeedListsThePlansPrices() throws {
        let options = W.options(product: .smsOutbound)
        let rates =
            try W.rates(Self.header + "sms-outbound,ES,21407,0.05,EUR,2026-01-01\n", options: options, deckVersion: 1)
            + W.rates(Self.header + "sms-outbound,ES,21407,0.06,EUR,2026-03-01\n", options: options, deckVersion: 2)
        let plan = Self.schedule(("2026-01-01", [PlanRule(markupPercent: W.amount("10"))], nil))
        let book = PricedBook(try RateBook(deck: "base", version: 2, reference: W.reference, rates: rates, numberPrices: []), plan: plan)
        let filter = try ChangeFilter(since: "1", product: nil, country: nil, reference: W.reference)
        let changes = book.changes(filter)
        #expect(changes.count == 1)
        #expect(changes.first?.change == .increased)
        #expect(changes.first?.old?.price.amount == W.amount("0.055"))
        #expect(changes.first?.new?.price.amount == W.amount("0.066"))
    }

    @Test func aPriceThePlanCannotHoldIsNoPrice() throws {
        let deck = Self.header + "sms-outbound,ES,21407,90000000000,EUR,2026-01-01\nsms-outbound,DE,,0.01,EUR,2026-01-01\n"
        let plan = Self.schedule(("2026-01-01", [PlanRule(markupPercent: W.amount("100"))], nil))
        let book = PricedBook(try W.book(deck, options: W.options(product: .smsOutbound)), plan: plan)
        let at = W.instant("2026-02-01")
        #expect(throws: RatingError.self) { try book.quote(W.number("+34611234567"), product: .smsOutbound, at: at) }
        #expect(book.rates(at: at).map(\.key.country) == ["DE"])
    }

    @Test func anOverrideDeckPricesItsOwnRowsAndTheRulesTheRest() throws {
        let options = W.options(product: .smsOutbound)
        let base = try W.book(Self.deck, options: options)
        // The account's own price for Movistar only, in the deck's currency, and one in USD for Germany.
        let own = try RateBook(
            deck: "acme",
            version: 7,
            reference: W.reference,
            rates: try W.rates(
                Self.header + "sms-outbound,ES,21407,0.04,EUR,2026-01-01\nsms-outbound,DE,,0.02,USD,2026-01-01\n",
                options: options,
                deckVersion: 7
            ),
            numberPrices: []
        )
        var plan = PricePlan(name: "gold", rules: [PlanRule(markupPercent: W.amount("50"))], rounding: Rounding(decimals: 4, mode: .up))
        plan.overrideDeck = "acme"
        let schedule = PlanSchedule(
            name: "gold",
            versions: [PlanVersion(id: 1, effectiveFrom: W.instant("2026-01-01"), createdAt: W.instant("2025-12-01"), plan: plan)]
        )
        let book = PricedBook(base, plan: schedule, overrides: ["acme": own])
        let at = W.instant("2026-02-01")
        // Movistar: the own row, as it is (no markup, no rounding).
        let movistar = try book.quote(W.number("+34611234567"), product: .smsOutbound, at: at)
        #expect(movistar.terms.price == W.amount("0.04"))
        #expect(movistar.plan?.ownDeck == "acme" && movistar.plan?.priced.cost == W.amount("0.05") && movistar.plan?.hasMargin == true)
        #expect(movistar.explanation.last == "plan gold (version 1): own price from deck acme: cost 0.05 EUR, own price 0.04 EUR")
        // Another Spanish number: the override has no row of the country's key, so the rule applies.
        let vodafone = try book.quote(W.number("+34612345678"), product: .smsOutbound, at: at)
        #expect(vodafone.terms.price == W.amount("0.105"))
        #expect(vodafone.plan?.ownDeck == nil)
        // An own price in another currency is charged in it; no margin can be told.
        let germany = try book.quote(W.number("+4915112345678"), product: .smsOutbound, at: at)
        #expect(germany.terms.price == W.amount("0.02") && germany.terms.currency == W.currency("USD"))
        #expect(germany.plan?.hasMargin == false)
        let listed = book.rates(at: at, product: .smsOutbound)
        #expect(listed.first { $0.key.network == "21407" }?.terms?.price == W.amount("0.04"))
        #expect(listed.first { $0.key.country == "ES" && $0.key.network == nil }?.terms?.price == W.amount("0.105"))
        // The change feed prices each row as the quote does.
        let feed = book.changes(try ChangeFilter(since: "0", product: nil, country: "ES", reference: W.reference))
        #expect(feed.first { $0.subject == .rate(movistar.rate.key) }?.new?.price.amount == W.amount("0.04"))
        #expect(feed.first { $0.subject == .rate(vodafone.rate.key) }?.new?.price.amount == W.amount("0.105"))
        // Without the override book (not loaded), the rules price every row.
        #expect(try PricedBook(base, plan: schedule).quote(W.number("+34611234567"), product: .smsOutbound, at: at).terms.price == W.amount("0.075"))
    }
}
