import Testing

@testable import TariffCore

private typealias W = TestWorld

@Suite("RateBook: domestic, EEA and international lists")
struct RateBookListTests {
    static let deck = """
        product,country,network,origin,price,currency
        voice-outbound,ES,,domestic,0.01,EUR
        voice-outbound,ES,,eea,0.02,EUR
        voice-outbound,ES,,international,0.30,EUR
        voice-outbound,DE,,eea,0.04,EUR
        voice-outbound,DE,,international,0.40,EUR
        voice-outbound,MX,,any,0.50,EUR
        voice-outbound,DE,,domestic,0.03,EUR
        sms-outbound,,ES-FIXED,domestic,0.001,EUR
        sms-outbound,ES,,eea,0.06,EUR
        sms-outbound,ES,,international,0.08,EUR
        """

    @Test func listOrderFollowsTheSeedRule() {
        func scopes(_ destination: String, _ origin: String?) -> [OriginScope] {
            RateBook.listOrder(destination: W.reference.country(destination)!, origin: origin.flatMap { W.reference.country($0) })
                .map(\.0)
        }
        #expect(scopes("ES", "ES") == [.domestic, .eea, .international, .any])
        #expect(scopes("DE", "PL") == [.eea, .international, .any])
        #expect(scopes("DE", "MX") == [.international, .any])
        #expect(scopes("US", "US") == [.domestic, .international, .any])
        #expect(scopes("ES", nil) == [.international, .any])
    }

    /// Quotes try the lists in `scopeOrder` and explain them from `listOrder`: the two must agree.
    @Test func theOrderTriedIsTheOrderExplained() {
        let countries = W.countries.map(\.iso2)
        for destination in countries {
            for origin in countries.map(Optional.some) + [nil] {
                let to = W.reference.country(destination)!
                let from = origin.flatMap { W.reference.country($0) }
                #expect(Array(RateBook.scopeOrder(destination: to, origin: from)) == RateBook.listOrder(destination: to, origin: from).map(\.0))
            }
        }
    }

    @Test func domesticCallTakesTheDomesticList() throws {
        let book = try W.book(Self.deck)
        let q = try quote(book, "+34611234567", from: .country("ES"))
        #expect(q.list == .domestic)
        #expect(q.terms.price == W.amount("0.01"))
        #expect(q.terms.resource == "PSTN_OUT_INCOUNTRY")
        #expect(q.skipped.isEmpty)
        #expect(q.explanation.contains("list: domestic: from ES to ES, within one country"))
    }

    @Test func eeaOriginTakesTheEEAList() throws {
        let book = try W.book(Self.deck)
        let q = try quote(book, "+4930123456", from: .country("PL"))
        #expect(q.list == .eea)
        #expect(q.terms.price == W.amount("0.04"))
        #expect(q.terms.resource == "PSTNOUT_EEA")
        // A German domestic row exists, but the call does not come from Germany.
        #expect(q.skipped.isEmpty)
    }

    @Test func nonEEAOriginTakesTheInternationalList() throws {
        let book = try W.book(Self.deck)
        let q = try quote(book, "+4930123456", from: .country("MX"))
        #expect(q.list == .international)
        #expect(q.terms.price == W.amount("0.40"))
        #expect(q.explanation.contains("list: international: from MX to DE"))
    }

    @Test func domesticListWithoutThisNumberFallsThrough() throws {
        let book = try W.book(Self.deck)
        // The SMS domestic list only prices Spanish fixed lines.
        let fixed = try quote(book, "+34910000000", .smsOutbound, from: .country("ES"))
        #expect(fixed.list == .domestic)
        #expect(fixed.terms.price == W.amount("0.001"))

        let mobile = try quote(book, "+34611234567", .smsOutbound, from: .country("ES"))
        #expect(mobile.list == .eea)
        #expect(mobile.terms.price == W.amount("0.06"))
        #expect(mobile.skipped == ["no domestic price for this number"])
        #expect(mobile.explanation.contains("no domestic price for this number"))
    }

    @Test func noOriginTakesTheInternationalList() throws {
        let book = try W.book(Self.deck)
        let q = try quote(book, "+34611234567")
        #expect(q.list == .international)
        #expect(q.terms.price == W.amount("0.30"))
        #expect(q.originCountry == nil)
    }

    @Test func rowsForAnyOriginApplyLast() throws {
        let book = try W.book(
            """
            product,country,prefix,origin,price,currency
            voice-outbound,,346111,any,0.001,EUR
            voice-outbound,ES,,any,0.07,EUR
            voice-outbound,,3461,international,0.30,EUR
            """
        )
        // The international list prices the number, even though the any list has a longer prefix.
        let listed = try quote(book, "+34611100000", from: .country("MX"))
        #expect(listed.list == .international)
        #expect(listed.match == .prefix("3461"))
        // The international list has no row for a fixed line: the any list does.
        let fallback = try quote(book, "+34910000000", from: .country("MX"))
        #expect(fallback.list == .any)
        #expect(fallback.terms.price == W.amount("0.07"))
        #expect(fallback.skipped == ["no international price for this number"])
        #expect(fallback.explanation.contains("list: rows for any origin"))
        // A domestic call with only any rows.
        let domestic = try quote(book, "+34910000000", from: .country("ES"))
        #expect(domestic.list == .any)
        #expect(domestic.skipped == ["no domestic price for this number", "no eea price for this number", "no international price for this number"])
    }

    @Test func originGivenAsNumberOrCountryAgree() throws {
        let book = try W.book(Self.deck)
        let byNumber = try quote(book, "+34611234567", from: .number(W.number("+48501234567")))
        let byCountry = try quote(book, "+34611234567", from: .country("pl"))
        #expect(byNumber.list == .eea)
        #expect(byCountry.list == .eea)
        #expect(byNumber.originCountry?.iso2 == "PL")
        #expect(byNumber.terms == byCountry.terms)
        // A Spanish caller makes it domestic.
        #expect(try quote(book, "+34611234567", from: .number(W.number("+34910000000"))).list == .domestic)
    }

    @Test func unknownOriginIsAnError() throws {
        let book = try W.book(Self.deck)
        #expect(throws: RatingError.unknownOrigin("XX")) { _ = try quote(book, "+34611234567", from: .country("XX")) }
        #expect(throws: RatingError.unknownOrigin("+999123456")) {
            _ = try quote(book, "+34611234567", from: .number(W.number("+999123456")))
        }
    }

    @Test("a list's slot is its product's and origin's place among their cases")
    func ordinalsArePositions() {
        #expect(Product.allCases.map(\.ordinal) == Array(Product.allCases.indices))
        #expect(OriginScope.allCases.map(\.ordinal) == Array(OriginScope.allCases.indices))
        #expect(Product.allCases.sorted() == Product.allCases && OriginScope.allCases.sorted() == OriginScope.allCases)
    }
}
