import Testing
@testable import TariffCore

private typealias W = TestWorld

/// The one problem a file must be rejected with, as `FILE:LINE: column: message`.
private func onlyProblem(
    _ csv: String, options: DeckOptions = W.options(), sourceLocation: SourceLocation = #_sourceLocation
) -> String {
    let problems = W.problems(csv, options: options)
    #expect(problems.count == 1, "expected one problem, got \(problems)", sourceLocation: sourceLocation)
    return problems.first?.description ?? "(the file imported)"
}

private func rateTerms(
    _ price: String, _ currency: String, increment: BillingIncrement?, fee: String = "0", description: String = "", resource: String
) -> RateTerms {
    RateTerms(price: W.amount(price), currency: W.currency(currency), increment: increment, connectFee: W.amount(fee),
              description: description, resource: resource)
}

private func key(
    _ product: Product, _ origin: OriginScope = .any, country: String? = nil, network: String? = nil, prefix: String? = nil,
    numberType: String? = nil
) -> RateKey {
    RateKey(product: product, origin: origin, country: country, network: network, prefix: prefix, numberType: numberType)
}

@Suite("DeckParser: one problem per kind of mistake")
struct DeckParserProblemTests {
    @Test func priceThatIsNotANumber() {
        let text = onlyProblem("""
            product,country,price,currency
            sms-outbound,ES,abc,EUR
            """)
        #expect(text == "deck.csv:2: price: 'abc' is not a decimal number")
    }

    @Test func unknownCountry() {
        let text = onlyProblem("""
            product,country,price,currency
            sms-outbound,ES,0.05,EUR
            sms-outbound,XX,0.05,EUR
            """)
        #expect(text.hasPrefix("deck.csv:3: country: unknown country 'XX'"))
    }

    @Test func unknownNetwork() {
        let csv = """
            product,network,price,currency
            sms-outbound,99999,0.05,EUR
            """
        #expect(onlyProblem(csv).hasPrefix("deck.csv:2: network: unknown network '99999'"))
        let pseudo = """
            product,network,price,currency
            sms-outbound,XX-FIXED,0.05,EUR
            """
        #expect(onlyProblem(pseudo).hasPrefix("deck.csv:2: network: unknown network 'XX-FIXED'"))
    }

    @Test func networkOfAnotherCountry() {
        let csv = """
            product,country,network,price,currency
            sms-outbound,MX,21407,0.05,EUR
            """
        #expect(onlyProblem(csv) == "deck.csv:2: network: network 21407 is in ES, not MX")
        let pseudo = """
            product,country,network,price,currency
            sms-outbound,MX,ES-FIXED,0.05,EUR
            """
        #expect(onlyProblem(pseudo) == "deck.csv:2: network: network ES-FIXED belongs to ES, not MX")
    }

    @Test func inboundCallerNetworkMayBeForeign() throws {
        // On inbound rows the network is the caller's: a Spanish caller to a Colombian number.
        let deck = try W.parse("""
            product,country,network,number_type,price,currency
            voice-inbound,CO,21407,toll_free,0.11,USD
            """)
        #expect(deck.rates.map(\.entry.key) == [key(.voiceInbound, country: "CO", network: "21407", numberType: "toll_free")])
    }

    @Test func unknownCurrency() {
        let text = onlyProblem("""
            product,country,price,currency
            sms-outbound,ES,0.05,XYZ
            """)
        #expect(text == "deck.csv:2: currency: unknown currency 'XYZ' (ISO 4217 code, e.g. EUR)")
    }

    @Test func moreThanEightDecimals() throws {
        let text = onlyProblem("""
            product,country,price,currency
            sms-outbound,ES,0.123456789,EUR
            """)
        #expect(text == "deck.csv:2: price: '0.123456789' has more than 8 decimals")
        let eight = try W.parse("""
            product,country,price,currency
            sms-outbound,ES,0.12345678,EUR
            """)
        #expect(eight.rates.first?.entry.terms?.price == Amount(units: 12_345_678))
    }

    @Test func negativePrice() {
        let text = onlyProblem("""
            product,country,price,currency
            sms-outbound,ES,-0.01,EUR
            """)
        #expect(text == "deck.csv:2: price: negative amount '-0.01'")
    }

    @Test func duplicateKeyNamesTheFirstLine() {
        let text = onlyProblem("""
            product,country,price,currency
            sms-outbound,ES,0.05,EUR
            sms-outbound,MX,0.05,USD
            sms-outbound,es,0.06,EUR
            """)
        #expect(text == "deck.csv:4: country: duplicate of line 2: same product, origin, key and effective_from")
        let prefixes = onlyProblem("""
            product,prefix,price,currency
            voice-outbound,3461,0.05,EUR
            voice-outbound,+3461,0.06,EUR
            """)
        #expect(prefixes.hasPrefix("deck.csv:3: prefix: duplicate of line 2"))
    }

    @Test func sameKeyAtOtherDatesOrOriginsIsNoDuplicate() throws {
        let deck = try W.parse("""
            product,country,origin,price,currency,effective_from
            sms-outbound,ES,any,0.05,EUR,2026-01-01
            sms-outbound,ES,any,0.06,EUR,2026-03-01
            sms-outbound,ES,domestic,0.01,EUR,2026-01-01
            """)
        #expect(deck.rates.count == 3)
    }

    @Test func badIncrement() {
        let text = onlyProblem("""
            product,country,price,currency,increment
            voice-outbound,ES,0.05,EUR,0/60
            """)
        #expect(text.hasPrefix("deck.csv:2: increment: bad increment '0/60'"))
    }

    @Test func incrementOnAnSMSRow() {
        let text = onlyProblem("""
            product,country,price,currency,increment
            sms-outbound,ES,0.05,EUR,60/60
            """)
        #expect(text == "deck.csv:2: increment: sms-outbound is priced per message: increments are for voice")
    }

    @Test func badDate() {
        let text = onlyProblem("""
            product,country,price,currency,effective_from
            sms-outbound,ES,0.05,EUR,2026-13-01
            """)
        #expect(text.hasPrefix("deck.csv:2: effective_from: bad date: '2026-13-01' is not an ISO 8601 date"))
    }

    @Test func unknownColumnOnTheHeaderLine() {
        let text = onlyProblem("""
            product,country,price,currency,colour
            sms-outbound,ES,0.05,EUR,red
            """)
        #expect(text.hasPrefix("deck.csv:1: colour: unknown column (expected: "))
        // A typo of a required column is reported twice: unknown, and the real one missing.
        let typo = W.problems("""
            product,country,prise,currency
            sms-outbound,ES,0.05,EUR
            """).map(\.description)
        #expect(typo.count == 2)
        #expect(typo.first?.hasPrefix("deck.csv:1: prise: unknown column") == true)
        #expect(typo.last == "deck.csv:1: price: required column is missing")
    }

    @Test func headerNamesAreCaseInsensitiveAndTrimmed() throws {
        let deck = try W.parse("""
             Product , COUNTRY ,Price,Currency
            sms-outbound,ES,0.05,EUR
            """)
        #expect(deck.rates.count == 1)
    }

    @Test func missingRequiredColumn() {
        let text = onlyProblem("""
            product,country,currency
            sms-outbound,ES,EUR
            """)
        #expect(text == "deck.csv:1: price: required column is missing")
        let noProduct = onlyProblem("""
            country,price,currency
            ES,0.05,EUR
            """)
        #expect(noProduct == "deck.csv:1: product: no product column: add one or give --product")
        let noCurrency = onlyProblem("""
            product,country,price
            sms-outbound,ES,0.05
            """)
        #expect(noCurrency == "deck.csv:1: currency: no currency column: add one or give --currency")
        let noWhere = onlyProblem("""
            product,price,currency
            sms-outbound,0.05,EUR
            """)
        #expect(noWhere == "deck.csv:1: country: one of the columns country, network or prefix is required")
    }

    @Test func wrongFieldCount() {
        let text = onlyProblem("""
            product,country,price,currency
            sms-outbound,ES,0.05
            """)
        #expect(text == "deck.csv:2: -: 3 fields where the header has 4")
    }

    @Test func notUTF8() {
        var bytes = Array("product,country,price,currency,description\nsms-outbound,ES,0.05,EUR,Spain\nsms-outbound,MX,0.05,USD,M".utf8)
        bytes += [0xFF]
        bytes += Array("xico\n".utf8)
        do {
            _ = try W.parse(bytes: bytes)
            Issue.record("a file with invalid UTF-8 imported")
        } catch {
            #expect(error.problems.map(\.description) == ["deck.csv:3: -: not UTF-8 (save the file as UTF-8)"])
        }
    }

    @Test func rowsAfterInvalidUTF8AreStillChecked() {
        var bytes = Array("product,country,price,currency,description\nsms-outbound,ES,0.05,EUR,Espa".utf8)
        bytes += [0xFF] // a lone byte that is not UTF-8
        bytes += Array("a\nsms-outbound,XX,0.05,EUR,x\nsms-outbound,MX,0.05,USD,fine\n".utf8)
        do {
            _ = try W.parse(bytes: bytes)
            Issue.record("a file with invalid UTF-8 imported")
        } catch {
            #expect(error.problems.map(\.line) == [2, 3])
            #expect(error.problems.map(\.column) == ["-", "country"])
        }
    }

    @Test func emptyFile() {
        #expect(onlyProblem("") == "deck.csv:1: -: the file is empty: a header row is expected")
        #expect(onlyProblem("# only a notice\n\n") == "deck.csv:1: -: the file is empty: a header row is expected")
        #expect(onlyProblem("product,country,price,currency\n") == "deck.csv:1: -: no data rows after the header")
    }

    @Test func unknownProduct() {
        let text = onlyProblem("""
            product,country,price,currency
            sms-out,ES,0.05,EUR
            """)
        #expect(text == "deck.csv:2: product: unknown product 'sms-out' (sms-outbound, voice-outbound, voice-inbound, sms-inbound)")
    }

    @Test func unknownOrigin() {
        let text = onlyProblem("""
            product,country,origin,price,currency
            sms-outbound,ES,local,0.05,EUR
            """)
        #expect(text == "deck.csv:2: origin: unknown origin 'local' (any, domestic, eea, international)")
    }

    @Test func unknownNumberType() {
        let outbound = onlyProblem("""
            product,country,number_type,price,currency
            voice-outbound,ES,cell,0.05,EUR
            """)
        #expect(outbound.hasPrefix("deck.csv:2: number_type: unknown number type 'cell'"))
        let inbound = onlyProblem("""
            product,country,number_type,price,currency
            voice-inbound,CO,landline,0.05,USD
            """)
        #expect(inbound == "deck.csv:2: number_type: unknown number category 'landline' (local, mobile, toll_free, national)")
    }

    @Test func pseudoNetworkOfUnknownKindNeedsANumberType() {
        let text = onlyProblem("""
            product,network,price,currency
            voice-outbound,ES-OTHER,0.05,EUR
            """)
        #expect(text.hasPrefix("deck.csv:2: number_type: say which numbers network ES-OTHER covers"))
    }

    @Test func inboundRowWithoutCountry() {
        let text = onlyProblem("""
            product,country,prefix,number_type,price,currency
            voice-inbound,,573,toll_free,0.01,USD
            """)
        #expect(text == "deck.csv:2: country: inbound rows need the country of the number called")
    }

    @Test func rowThatSaysWhereNothing() {
        let text = onlyProblem("""
            product,country,prefix,price,currency
            sms-outbound,,,0.05,EUR
            """)
        #expect(text == "deck.csv:2: country: one of country, network or prefix is required")
    }
}

@Suite("DeckParser: whole files")
struct DeckParserFileTests {
    @Test func everyBadRowIsReportedWithItsLine() {
        let csv = """
            product,country,price,currency
            sms-outbound,ES,0.05,EUR
            sms-outbound,XX,0.05,EUR
            sms-outbound,MX,abc,USD
            sms-outbound,DE,0.05,EUR
            sms-outbound,PL,0.05,QQQ
            sms-outbound,GB,0.05
            """
        do {
            _ = try W.parse(csv)
            Issue.record("a file with bad rows imported")
        } catch {
            #expect(error.total == 4)
            #expect(error.problems.map(\.line) == [3, 4, 6, 7])
            #expect(error.problems.map(\.column) == ["country", "price", "currency", "-"])
            #expect(error.problems.allSatisfy { $0.file == "deck.csv" })
            #expect(error.description.hasSuffix("deck.csv: 4 problems; nothing was imported"))
        }
    }

    @Test func commentsAndBlankLinesKeepLineNumbers() throws {
        let head = """
            # ACME rate deck
            # valid from 2026

            product,country,price,currency
            sms-outbound,ES,0.05,EUR

            # an interior comment

            """
        let problems = W.problems(head + """
            sms-outbound,XX,0.05,EUR
               # an indented comment
            sms-outbound,MX,0.05,XYZ
            """)
        #expect(problems.map(\.line) == [8, 10])
        #expect(problems.first?.description.hasPrefix("deck.csv:8: country:") == true)
        #expect(problems.last?.description.hasPrefix("deck.csv:10: currency:") == true)

        let deck = try W.parse(head + """
            sms-outbound,MX,0.05,USD
            # the end
            sms-outbound,DE,0.05,EUR
            """)
        #expect(deck.rates.map(\.line) == [5, 8, 10])
        #expect(deck.rowCount == 3)
    }

    @Test func validDeckParsesToRates() throws {
        let deck = try W.parse("""
            product,country,network,prefix,number_type,origin,price,currency,increment,connect_fee,effective_from,description,resource
            sms-outbound,ES,,,,,0.05,EUR,,,,Spain,
            voice-outbound,ES,,,,domestic,0.01,EUR,,,2026-02-01,Spain,
            voice-outbound,ES,,,,eea,0.02,EUR,1/1,0.005,2026-02-01T10:00:00Z,,
            voice-outbound,,21407,,,international,0.30,EUR,30/6,,,,
            voice-outbound,,,5281,,,0.04,USD,,,,,
            voice-inbound,CO,,,toll_free,,0.02,USD,,,,,
            voice-inbound,CO,,573,toll_free,,0.03,USD,,,,,PSTN_IN_TOLLFREE_CO
            sms-inbound,GB,,,mobile,,0,GBP,,,,,
            voice-outbound,,GB-TOLLFREE,,,,0.5,GBP,,,,,
            voice-outbound,,ES-OTHER,,landline,,0.5,EUR,,,,,
            """)
        let now = W.now
        let feb = W.instant("2026-02-01")
        let perMinute = BillingIncrement.perMinute
        let expected: [Rate] = [
            Rate(key: key(.smsOutbound, country: "ES"), effectiveFrom: now,
                 terms: rateTerms("0.05", "EUR", increment: nil, description: "Spain", resource: "SMSOUT"), deckVersion: 0),
            Rate(key: key(.voiceOutbound, .domestic, country: "ES"), effectiveFrom: feb,
                 terms: rateTerms("0.01", "EUR", increment: perMinute, description: "Spain", resource: "PSTN_OUT_INCOUNTRY"), deckVersion: 0),
            Rate(key: key(.voiceOutbound, .eea, country: "ES"), effectiveFrom: W.instant("2026-02-01T10:00:00Z"),
                 terms: rateTerms("0.02", "EUR", increment: .perSecond, fee: "0.005", resource: "PSTNOUT_EEA"), deckVersion: 0),
            Rate(key: key(.voiceOutbound, .international, country: "ES", network: "21407"), effectiveFrom: now,
                 terms: rateTerms("0.30", "EUR", increment: BillingIncrement(initial: 30, subsequent: 6), resource: "PSTN_INTERNATIONAL"), deckVersion: 0),
            Rate(key: key(.voiceOutbound, country: "MX", prefix: "5281"), effectiveFrom: now,
                 terms: rateTerms("0.04", "USD", increment: perMinute, resource: "PSTN_INTERNATIONAL"), deckVersion: 0),
            Rate(key: key(.voiceInbound, country: "CO", numberType: "toll_free"), effectiveFrom: now,
                 terms: rateTerms("0.02", "USD", increment: perMinute, resource: "PSTN_IN_TOLL_FREE"), deckVersion: 0),
            Rate(key: key(.voiceInbound, country: "CO", prefix: "573", numberType: "toll_free"), effectiveFrom: now,
                 terms: rateTerms("0.03", "USD", increment: perMinute, resource: "PSTN_IN_TOLLFREE_CO"), deckVersion: 0),
            Rate(key: key(.smsInbound, country: "GB", numberType: "mobile"), effectiveFrom: now,
                 terms: rateTerms("0", "GBP", increment: nil, resource: "SMSIN"), deckVersion: 0),
            Rate(key: key(.voiceOutbound, country: "GB", network: "GB-TOLLFREE"), effectiveFrom: now,
                 terms: rateTerms("0.5", "GBP", increment: perMinute, resource: "PSTN_INTERNATIONAL"), deckVersion: 0),
            Rate(key: key(.voiceOutbound, country: "ES", network: "ES-OTHER", numberType: "landline"), effectiveFrom: now,
                 terms: rateTerms("0.5", "EUR", increment: perMinute, resource: "PSTN_INTERNATIONAL"), deckVersion: 0),
        ]
        #expect(deck.rates.count == expected.count)
        for (row, rate) in zip(deck.rates, expected) {
            #expect(row.entry == rate, "line \(row.line)")
            #expect(row.flag == nil)
        }
        #expect(deck.rates.map(\.line) == Array(2...11))
        #expect(deck.rowCount == 10)
        #expect(deck.kind == .rates)
        #expect(deck.file == "deck.csv")
    }

    @Test func optionsFillMissingColumns() throws {
        let options = W.options(product: .voiceOutbound, currency: "EUR", origin: .eea, effectiveFrom: W.instant("2026-04-01"))
        let deck = try W.parse("""
            country,price,currency
            ES,0.05,
            MX,0.04,USD
            """, options: options)
        #expect(deck.rates.map(\.entry.key) == [key(.voiceOutbound, .eea, country: "ES"), key(.voiceOutbound, .eea, country: "MX")])
        #expect(deck.rates.map { $0.entry.terms?.currency } == [W.currency("EUR"), W.currency("USD")])
        #expect(deck.rates.allSatisfy { $0.entry.effectiveFrom == W.instant("2026-04-01") })
        #expect(deck.rates.allSatisfy { $0.entry.terms?.resource == "PSTNOUT_EEA" })
        #expect(deck.rates.allSatisfy { $0.entry.terms?.increment == .perMinute })
    }

    @Test func countryDerivedForPrefixAndNetworkRows() throws {
        let deck = try W.parse("""
            product,network,prefix,price,currency
            voice-outbound,,3461,0.05,EUR
            voice-outbound,33402,,0.04,USD
            voice-outbound,,5718,0.06,USD
            voice-outbound,,999,0.90,USD
            voice-outbound,GB-TOLLFREE,,0.06,GBP
            """)
        #expect(deck.rates.map(\.entry.key.country) == ["ES", "MX", "CO", nil, "GB"])
    }
}

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
        #expect(deck.rates.map(\.entry.key) == [
            key(.voiceOutbound, .international, country: "ES", prefix: "34"),
            key(.voiceOutbound, .international, country: "ES", prefix: "3461"),
            key(.voiceOutbound, .international, country: "MX", prefix: "52"),
            key(.voiceOutbound, .international, country: "MX", prefix: "5255"),
            key(.voiceOutbound, .international, country: "CO", prefix: "57"),
        ])
        let movistar = deck.rates[1].entry
        #expect(movistar.effectiveFrom == W.instant("2026-02-01"))
        #expect(movistar.terms == rateTerms("0.05", "USD", increment: .perSecond, description: "Spain Mobile Movistar", resource: "PSTN_INTERNATIONAL"))
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
        let text = onlyProblem("""
            Code,Rate,Status
            34,0.02,Maybe
            """, options: W.options(.carrier, currency: "USD"))
        #expect(text.hasPrefix("deck.csv:2: change: unknown change flag 'Maybe'"))
    }

    @Test func deckWithoutChangeColumnHasNoFlags() throws {
        let options = W.options(.carrier, currency: "USD")
        let deck = try W.parse("Code,Rate\n34,0.50\n", options: options)
        #expect(deck.rates.map(\.flag) == [nil])
        // So a new price is not reported as a contradicted "Unchanged".
        let today = RateTerms(price: W.amount("0.10"), currency: W.currency("USD"), increment: .perMinute, connectFee: .zero,
                              description: "", resource: "PSTN_INTERNATIONAL")
        #expect(DeckPlanner.checkFlags(deck.rates, current: { _ in today }, file: "deck.csv").isEmpty)
        // An empty cell of a change column still says Unchanged.
        let blank = try W.parse("Code,Rate,Change\n34,0.50,\n", options: options)
        #expect(blank.rates.map(\.flag) == [.unchanged])
    }

    @Test func carrierDeckNeedsADialCode() {
        let text = onlyProblem("""
            Destination,Rate
            Spain,0.02
            """, options: W.options(.carrier, currency: "USD"))
        #expect(text == "deck.csv:1: prefix: required column is missing")
    }
}

@Suite("DeckParser: phone-number subscription files")
struct DeckParserNumbersTests {
    static let header = "country,category,region_code,region_name,installation_price,monthly_price,currency,incoming_resource,effective_from\n"

    @Test func validRows() throws {
        let deck = try W.parse(Self.header + """
            MX,geographic,55,Mexico City,12,6.5,USD,,2026-02-01
            CO,TOLLFREE,,,20,15,,PSTN_IN_TOLLFREE_CO,
            """, options: W.options(.numbers, currency: "USD"))
        #expect(deck.rates.isEmpty)
        let expected = [
            NumberPrice(key: NumberPriceKey(country: "MX", category: "GEOGRAPHIC", regionCode: "55"), effectiveFrom: W.instant("2026-02-01"),
                        terms: NumberPriceTerms(regionName: "Mexico City", installation: W.amount("12"), monthly: W.amount("6.5"),
                                                currency: W.currency("USD"), incomingResource: nil), deckVersion: 0),
            NumberPrice(key: NumberPriceKey(country: "CO", category: "TOLLFREE", regionCode: nil), effectiveFrom: W.now,
                        terms: NumberPriceTerms(regionName: nil, installation: W.amount("20"), monthly: W.amount("15"),
                                                currency: W.currency("USD"), incomingResource: "PSTN_IN_TOLLFREE_CO"), deckVersion: 0),
        ]
        #expect(deck.numberPrices.map(\.entry) == expected)
        #expect(deck.numberPrices.map(\.line) == [2, 3])
    }

    @Test func unknownCountry() {
        let text = onlyProblem(Self.header + "XX,GEOGRAPHIC,,,1,1,USD,,\n", options: W.options(.numbers))
        #expect(text.hasPrefix("deck.csv:2: country: unknown country 'XX'"))
    }

    @Test func badRegionCode() {
        let text = onlyProblem(Self.header + "MX,GEOGRAPHIC,5a,,1,1,USD,,\n", options: W.options(.numbers))
        #expect(text == "deck.csv:2: region_code: '5a' is not a region code (digits of the area code)")
    }

    @Test func duplicateRows() {
        let regional = onlyProblem(Self.header + """
            MX,GEOGRAPHIC,55,,1,1,USD,,
            MX,GEOGRAPHIC,55,CDMX,2,2,USD,,
            """, options: W.options(.numbers))
        #expect(regional == "deck.csv:3: region_code: duplicate of line 2: same country, category, region and effective_from")
        let national = onlyProblem(Self.header + """
            MX,GEOGRAPHIC,,,1,1,USD,,
            MX,GEOGRAPHIC,55,,1,1,USD,,
            MX,geographic,,,2,2,USD,,
            """, options: W.options(.numbers))
        #expect(national.hasPrefix("deck.csv:4: category: duplicate of line 2"))
    }

    @Test func missingPricesAndCurrency() {
        let noCurrency = onlyProblem("country,category,installation_price,monthly_price\nMX,GEOGRAPHIC,1,1\n", options: W.options(.numbers))
        #expect(noCurrency == "deck.csv:1: currency: no currency column: add one or give --currency")
        let noMonthly = onlyProblem(Self.header + "MX,GEOGRAPHIC,,,1,,USD,,\n", options: W.options(.numbers))
        #expect(noMonthly == "deck.csv:2: monthly_price: missing value")
    }
}
