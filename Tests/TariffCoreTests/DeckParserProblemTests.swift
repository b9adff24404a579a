import Testing

@testable import TariffCore

private typealias W = TestWorld

@Suite("DeckParser: one problem per kind of mistake")
struct DeckParserProblemTests {
    @Test func priceThatIsNotANumber() {
        let text = onlyProblem(
            """
            product,country,price,currency
            sms-outbound,ES,abc,EUR
            """
        )
        #expect(text == "deck.csv:2: price: 'abc' is not a decimal number")
    }

    @Test func unknownCountry() {
        let text = onlyProblem(
            """
            product,country,price,currency
            sms-outbound,ES,0.05,EUR
            sms-outbound,XX,0.05,EUR
            """
        )
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
        let deck = try W.parse(
            """
            product,country,network,number_type,price,currency
            voice-inbound,CO,21407,toll_free,0.11,USD
            """
        )
        #expect(deck.rates.map(\.entry.key) == [key(.voiceInbound, country: "CO", network: "21407", numberType: "toll_free")])
    }

    @Test func unknownCurrency() {
        let text = onlyProblem(
            """
            product,country,price,currency
            sms-outbound,ES,0.05,XYZ
            """
        )
        #expect(text == "deck.csv:2: currency: unknown currency 'XYZ' (ISO 4217 code, e.g. EUR)")
    }

    @Test func moreThanEightDecimals() throws {
        let text = onlyProblem(
            """
            product,country,price,currency
            sms-outbound,ES,0.123456789,EUR
            """
        )
        #expect(text == "deck.csv:2: price: '0.123456789' has more than 8 decimals")
        let eight = try W.parse(
            """
            product,country,price,currency
            sms-outbound,ES,0.12345678,EUR
            """
        )
        #expect(eight.rates.first?.entry.terms?.price == Amount(units: 12_345_678))
    }

    @Test func negativePrice() {
        let text = onlyProblem(
            """
            product,country,price,currency
            sms-outbound,ES,-0.01,EUR
            """
        )
        #expect(text == "deck.csv:2: price: negative amount '-0.01'")
    }

    @Test func duplicateKeyNamesTheFirstLine() {
        let text = onlyProblem(
            """
            product,country,price,currency
            sms-outbound,ES,0.05,EUR
            sms-outbound,MX,0.05,USD
            sms-outbound,es,0.06,EUR
            """
        )
        #expect(text == "deck.csv:4: country: duplicate of line 2: same product, origin, key and effective_from")
        let prefixes = onlyProblem(
            """
            product,prefix,price,currency
            voice-outbound,3461,0.05,EUR
            voice-outbound,+3461,0.06,EUR
            """
        )
        #expect(prefixes.hasPrefix("deck.csv:3: prefix: duplicate of line 2"))
    }

    @Test func sameKeyAtOtherDatesOrOriginsIsNoDuplicate() throws {
        let deck = try W.parse(
            """
            product,country,origin,price,currency,effective_from
            sms-outbound,ES,any,0.05,EUR,2026-01-01
            sms-outbound,ES,any,0.06,EUR,2026-03-01
            sms-outbound,ES,domestic,0.01,EUR,2026-01-01
            """
        )
        #expect(deck.rates.count == 3)
    }

    @Test func badIncrement() {
        let text = onlyProblem(
            """
            product,country,price,currency,increment
            voice-outbound,ES,0.05,EUR,0/60
            """
        )
        #expect(text.hasPrefix("deck.csv:2: increment: bad increment '0/60'"))
    }

    @Test func incrementOnAnSMSRow() {
        let text = onlyProblem(
            """
            product,country,price,currency,increment
            sms-outbound,ES,0.05,EUR,60/60
            """
        )
        #expect(text == "deck.csv:2: increment: sms-outbound is priced per message: increments are for voice")
    }

    @Test func badDate() {
        let text = onlyProblem(
            """
            product,country,price,currency,effective_from
            sms-outbound,ES,0.05,EUR,2026-13-01
            """
        )
        #expect(text.hasPrefix("deck.csv:2: effective_from: bad date: '2026-13-01' is not an ISO 8601 date"))
    }

    @Test func unknownColumnOnTheHeaderLine() {
        let text = onlyProblem(
            """
            product,country,price,currency,colour
            sms-outbound,ES,0.05,EUR,red
            """
        )
        #expect(text.hasPrefix("deck.csv:1: colour: unknown column (expected: "))
        // A typo of a required column is reported twice: unknown, and the real one missing.
        let typo = W.problems(
            """
            product,country,prise,currency
            sms-outbound,ES,0.05,EUR
            """
        ).map(\.description)
        #expect(typo.count == 2)
        #expect(typo.first?.hasPrefix("deck.csv:1: prise: unknown column") == true)
        #expect(typo.last == "deck.csv:1: price: required column is missing")
    }

    @Test func headerNamesAreCaseInsensitiveAndTrimmed() throws {
        let deck = try W.parse(
            """
             Product , COUNTRY ,Price,Currency
            sms-outbound,ES,0.05,EUR
            """
        )
        #expect(deck.rates.count == 1)
    }

    @Test func missingRequiredColumn() {
        let text = onlyProblem(
            """
            product,country,currency
            sms-outbound,ES,EUR
            """
        )
        #expect(text == "deck.csv:1: price: required column is missing")
        let noProduct = onlyProblem(
            """
            country,price,currency
            ES,0.05,EUR
            """
        )
        #expect(noProduct == "deck.csv:1: product: no product column: add one or give --product")
        let noCurrency = onlyProblem(
            """
            product,country,price
            sms-outbound,ES,0.05
            """
        )
        #expect(noCurrency == "deck.csv:1: currency: no currency column: add one or give --currency")
        let noWhere = onlyProblem(
            """
            product,price,currency
            sms-outbound,0.05,EUR
            """
        )
        #expect(noWhere == "deck.csv:1: country: one of the columns country, network or prefix is required")
    }

    @Test func wrongFieldCount() {
        let text = onlyProblem(
            """
            product,country,price,currency
            sms-outbound,ES,0.05
            """
        )
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
        bytes += [0xFF]  // a lone byte that is not UTF-8
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
        let text = onlyProblem(
            """
            product,country,price,currency
            sms-out,ES,0.05,EUR
            """
        )
        #expect(
            text
                == "deck.csv:2: product: unknown product 'sms-out' (sms-outbound, voice-outbound, voice-inbound, sms-inbound; a metered product's row gives its unit)"
        )
    }

    @Test func unknownOrigin() {
        let text = onlyProblem(
            """
            product,country,origin,price,currency
            sms-outbound,ES,local,0.05,EUR
            """
        )
        #expect(text == "deck.csv:2: origin: unknown origin 'local' (any, domestic, eea, international)")
    }

    @Test func unknownNumberType() {
        let outbound = onlyProblem(
            """
            product,country,number_type,price,currency
            voice-outbound,ES,cell,0.05,EUR
            """
        )
        #expect(outbound.hasPrefix("deck.csv:2: number_type: unknown number type 'cell'"))
        let inbound = onlyProblem(
            """
            product,country,number_type,price,currency
            voice-inbound,CO,landline,0.05,USD
            """
        )
        #expect(inbound == "deck.csv:2: number_type: unknown number category 'landline' (local, mobile, toll_free, national)")
    }

    @Test func pseudoNetworkOfUnknownKindNeedsANumberType() {
        let text = onlyProblem(
            """
            product,network,price,currency
            voice-outbound,ES-OTHER,0.05,EUR
            """
        )
        #expect(text.hasPrefix("deck.csv:2: number_type: say which numbers network ES-OTHER covers"))
    }

    @Test func inboundRowWithoutCountry() {
        let text = onlyProblem(
            """
            product,country,prefix,number_type,price,currency
            voice-inbound,,573,toll_free,0.01,USD
            """
        )
        #expect(text == "deck.csv:2: country: inbound rows need the country of the number called")
    }

    @Test func rowThatSaysWhereNothing() {
        let text = onlyProblem(
            """
            product,country,prefix,price,currency
            sms-outbound,,,0.05,EUR
            """
        )
        #expect(text == "deck.csv:2: country: one of country, network or prefix is required")
    }
}
