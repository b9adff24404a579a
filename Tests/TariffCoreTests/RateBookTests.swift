import Testing
@testable import TariffCore

private typealias W = TestWorld

private func quote(
    _ book: RateBook, _ number: String, _ product: Product = .voiceOutbound, from origin: CallOrigin? = nil,
    at instant: String = "2026-02-01"
) throws -> PriceQuote {
    try book.quote(W.number(number), product: product, from: origin, at: W.instant(instant))
}

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
        let book = try W.book("""
            product,prefix,price,currency
            voice-outbound,34,0.30,EUR
            voice-outbound,3461,0.20,EUR
            voice-outbound,346111,0.10,EUR
            """)
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
        let book = try W.book("""
            product,country,prefix,origin,price,currency
            voice-outbound,,346111,any,0.001,EUR
            voice-outbound,ES,,any,0.07,EUR
            voice-outbound,,3461,international,0.30,EUR
            """)
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
}

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
        let replaced = try W.rates("""
            product,country,price,currency,effective_from
            voice-outbound,ES,0.20,EUR,2026-05-01
            """, deckVersion: 1)
        let newer = try W.rates("""
            product,country,price,currency,effective_from
            voice-outbound,ES,0.15,EUR,2026-05-01
            """, deckVersion: 2)
        let book = try RateBook(deck: "base", version: 2, reference: W.reference, rates: newer + old + replaced, numberPrices: [])
        #expect(try quote(book, "+34910000000", at: "2026-05-02").terms.price == W.amount("0.15"))
        let before = try quote(book, "+34910000000", at: "2026-04-01")
        #expect(before.next?.terms?.price == W.amount("0.15"))
        #expect(before.next?.deckVersion == 2)
    }
}

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

@Suite("RateBook: listings and number prices")
struct RateBookListingTests {
    @Test func ratesInForceAtAnInstant() throws {
        let base = try W.rates("""
            product,country,prefix,price,currency,effective_from
            sms-outbound,ES,,0.05,EUR,2026-01-01
            sms-outbound,ES,,0.06,EUR,2026-03-01
            sms-outbound,MX,,0.04,USD,2026-01-01
            sms-outbound,DE,,0.07,EUR,2026-06-01
            sms-outbound,,3461,0.03,EUR,2026-01-01
            voice-outbound,ES,,0.10,EUR,2026-01-01
            """)
        let closing = base.first { $0.key.country == "MX" }!.closing(at: W.instant("2026-02-01"))
        let book = try RateBook(deck: "base", version: 1, reference: W.reference, rates: base + [closing], numberPrices: [])
        #expect(book.count == 7)

        let sms = book.rates(at: W.instant("2026-01-15"), product: .smsOutbound)
        #expect(sms.map { $0.key.country } == ["ES", "ES", "MX"])
        #expect(sms.map { $0.key.prefix } == [nil, "3461", nil])
        #expect(sms[0].terms?.price == W.amount("0.05"))

        let later = book.rates(at: W.instant("2026-07-01"), product: .smsOutbound)
        #expect(later.map { $0.key.country } == ["DE", "ES", "ES"])
        #expect(later.first { $0.key.country == "ES" && $0.key.prefix == nil }?.terms?.price == W.amount("0.06"))

        let everything = book.rates(at: W.instant("2026-01-15"))
        #expect(everything.count == 4)
        #expect(everything.last?.key.product == .voiceOutbound)
        #expect(book.rates(at: W.instant("2025-01-01")).isEmpty)
    }

    static let numbers = """
        country,category,region_code,region_name,installation_price,monthly_price,currency,incoming_resource,effective_from
        MX,GEOGRAPHIC,,,10,5,USD,,2026-01-01
        MX,GEOGRAPHIC,55,Mexico City,12,6,USD,,2026-01-01
        CO,TOLLFREE,,,20,15,USD,PSTN_IN_TOLLFREE_CO,2026-01-01
        """

    @Test func numberPriceRegionalOrWholeCountry() throws {
        let book = try W.book("product,country,price,currency\nsms-outbound,ES,0.05,EUR", numbers: Self.numbers)
        let at = W.instant("2026-02-01")
        let mexicoCity = book.numberPrice(country: "MX", category: "GEOGRAPHIC", regionCode: "55", at: at)
        #expect(mexicoCity?.terms?.monthly == W.amount("6"))
        #expect(mexicoCity?.terms?.regionName == "Mexico City")
        let guadalajara = book.numberPrice(country: "MX", category: "GEOGRAPHIC", regionCode: "33", at: at)
        #expect(guadalajara?.key.regionCode == nil)
        #expect(guadalajara?.terms?.monthly == W.amount("5"))
        #expect(book.numberPrice(country: "MX", category: "GEOGRAPHIC", at: at)?.terms?.installation == W.amount("10"))
        #expect(book.numberPrice(country: "CO", category: "TOLLFREE", regionCode: "1", at: at)?.terms?.incomingResource == "PSTN_IN_TOLLFREE_CO")
        #expect(book.numberPrice(country: "MX", category: "MOBILE", at: at) == nil)
        #expect(book.numberPrice(country: "MX", category: "GEOGRAPHIC", regionCode: "55", at: W.instant("2025-12-31")) == nil)
        #expect(book.numberPrices(at: at).map(\.key.label) == ["CO TOLLFREE", "MX GEOGRAPHIC", "MX GEOGRAPHIC region 55"])
    }
}
