import Testing

@testable import TariffCore

private typealias W = TestWorld

@Suite("Price plans: a markup per product, country, origin and number type, floors and rounding")
struct PricePlanTests {
    static func price(
        _ plan: PricePlan,
        _ cost: String,
        _ product: Product = .smsOutbound,
        country: String? = "ES",
        origin: OriginScope = .any,
        type: String? = nil
    )
        throws -> PlannedPrice
    {
        try plan.price(W.amount(cost), product: product, country: country, origin: origin, numberType: type)
    }

    @Test func percentThenFixedThenRoundedUp() throws {
        let plan = PricePlan(
            name: "retail",
            rules: [PlanRule(markupPercent: W.amount("15"), markupFixed: W.amount("0.001"))],
            rounding: Rounding(decimals: 4, mode: .up)
        )
        // 0.0123 + 15 % = 0.014145; + 0.001 = 0.015145; up to 4 decimals: 0.0152.
        let priced = try Self.price(plan, "0.0123")
        #expect(priced.price == W.amount("0.0152"))
        #expect(priced.margin == W.amount("0.0029"))
        #expect(priced.steps == ["cost 0.0123", "+15 % = 0.014145", "+0.001 = 0.015145", "rounded 4 decimals, up: 0.0152"])
        #expect(priced.rule?.label == "every price: +15 % +0.001")
    }

    @Test func aPercentageOfAFractionOfAUnitRoundsUp() throws {
        let plan = PricePlan(name: "p", rules: [PlanRule(markupPercent: W.amount("33.333"))])
        // 0.00000007 × 33.333 % = 0.0000000233331: a fraction of the last unit, charged whole.
        #expect(try Self.price(plan, "0.00000007").price == W.amount("0.00000010"))
    }

    @Test func theMostSpecificRuleWinsAndTheFirstOfEquals() throws {
        let plan = PricePlan(
            name: "tiers",
            rules: [
                PlanRule(markupPercent: W.amount("10")),
                PlanRule(product: .smsOutbound, markupPercent: W.amount("20")),
                PlanRule(product: .smsOutbound, country: "ES", markupPercent: W.amount("30")),
                PlanRule(country: "ES", numberType: "mobile", markupPercent: W.amount("40")),
                PlanRule(country: "ES", numberType: "mobile", markupPercent: W.amount("45")),
                PlanRule(product: .voiceOutbound, origin: .eea, markupPercent: W.amount("50")),
            ]
        )
        func percent(_ product: Product, country: String?, origin: OriginScope = .any, type: String? = nil) throws -> String {
            let priced = try Self.price(plan, "1", product, country: country, origin: origin, type: type)
            return (try priced.price - W.amount("1")).plainText
        }
        #expect(try percent(.voiceInbound, country: "PL") == "0.1")
        #expect(try percent(.smsOutbound, country: "PL") == "0.2")
        #expect(try percent(.smsOutbound, country: "ES") == "0.3")
        // Country and number type (12) outweigh country and product (9); of the two equal rules, the first.
        #expect(try percent(.smsOutbound, country: "ES", type: "mobile") == "0.4")
        #expect(try percent(.voiceOutbound, country: "PL", origin: .eea) == "0.5")
        #expect(try percent(.voiceOutbound, country: "PL", origin: .international) == "0.1")
    }

    @Test func floorsComeAfterTheMarkupAndBeforeRounding() throws {
        let plan = PricePlan(
            name: "floors",
            rules: [PlanRule(markupPercent: W.amount("5"))],
            minimumPrice: W.amount("0.005"),
            minimumMargin: W.amount("0.002"),
            rounding: Rounding(decimals: 3, mode: .up)
        )
        // 0.01 + 5 % = 0.0105, under cost + 0.002: 0.012.
        #expect(try Self.price(plan, "0.01").price == W.amount("0.012"))
        // 0.001 + 5 % = 0.00105; + margin 0.003; minimum price 0.005.
        let low = try Self.price(plan, "0.001")
        #expect(low.price == W.amount("0.005"))
        #expect(low.steps.suffix(2) == ["minimum margin 0.002: 0.003", "minimum price: 0.005"])
        // 1 + 5 % = 1.05: both floors below it.
        #expect(try Self.price(plan, "1").price == W.amount("1.05"))
    }

    @Test func noRuleIsTheCostAndADiscountNeverGoesBelowZero() throws {
        let empty = PricePlan(name: "none", rules: [PlanRule(product: .voiceOutbound, markupPercent: W.amount("10"))])
        let priced = try Self.price(empty, "0.07")
        #expect(priced.price == W.amount("0.07") && priced.rule == nil)
        let discount = PricePlan(name: "d", rules: [PlanRule(markupFixed: W.amount("-0.05"))])
        #expect(try Self.price(discount, "0.07").price == W.amount("0.02"))
        #expect(try Self.price(discount, "0.03").price == .zero)
    }

    @Test func aPlanFileReadsItsRules() throws {
        var reader = CSVReader(
            string: """
                product,country,origin,number_type,markup_percent,markup_fixed
                ,,,,10,
                sms,es,,,20,0.001
                voice-outbound,,eea,mobile,,0.01

                """
        )
        let rules = try PlanFile.rules(&reader, file: "plan.csv", reference: W.reference)
        #expect(rules.map(\.label) == ["every price: +10 %", "sms-outbound ES: +20 % +0.001", "voice-outbound eea list mobile: +0.01"])
        #expect(rules.map(\.line) == [2, 3, 4])
    }

    @Test func aPlanFileWithProblemsNamesEachLine() {
        var reader = CSVReader(
            string: """
                product,country,markup_percent,markup_fixed
                fax,,10,
                ,XX,10,
                ,,-100,
                ,,10001,
                ,,,1001
                sms,ES,1,
                sms,es,2,
                ,,abc,

                """
        )
        do {
            _ = try PlanFile.rules(&reader, file: "plan.csv", reference: W.reference)
            Issue.record("a plan with problems was read")
        } catch {
            #expect(
                error.problems.map { "\($0.line) \($0.column)" } == [
                    "2 product", "3 country", "4 markup_percent", "5 markup_percent", "6 markup_fixed", "8 -", "9 markup_percent",
                ]
            )
        }
        var headerOnly = CSVReader(string: "product,country\nsms,ES\n")
        #expect(throws: ImportFailure.self) { try PlanFile.rules(&headerOnly, file: "plan.csv", reference: W.reference) }
    }

    @Test func aPlanFileOfMoreRulesThanTheMaximumIsRefused() {
        var reader = CSVReader(string: "product,markup_fixed\nsms-outbound,1\nvoice-outbound,2\nsms-inbound,3\n")
        do {
            _ = try PlanFile.rules(&reader, file: "big.csv", reference: W.reference, maximum: 2)
            Issue.record("a plan of more rules than the maximum was read")
        } catch {
            #expect(error.problems.map(\.description) == ["big.csv:4: -: more than 2 rules: a plan has a rule per country and product at most"])
        }
        #expect(PlanFile.maximumRules == 10_000)
    }
}
