import Testing

@testable import TariffCore

private typealias W = TestWorld

@Suite("DeckParser: what a cell may hold")
struct DeckParserCellTests {
    // MARK: Networks and the row's country

    @Test func networkThatTheReferencePlacesInNoCountry() throws {
        // Satellite and test networks (901xx, 001xx) have no country in the reference data.
        let reference = try ReferenceData(
            countries: W.countries,
            currencies: W.currencies,
            networks: W.networks + [MobileNetwork(mcc: "901", mnc: "08", countryISO2: nil, name: "SpaceX", status: "Unknown")],
            ranges: W.ranges
        )
        func problems(_ csv: String) -> [String] {
            var reader = CSVReader(string: csv)
            do {
                _ = try DeckParser.parse(&reader, file: "deck.csv", options: W.options(), reference: reference)
                return []
            } catch {
                return error.problems.map(\.description)
            }
        }
        #expect(
            problems(
                """
                product,country,network,price,currency
                sms-outbound,ES,90108,0.05,EUR
                """
            ) == ["deck.csv:2: network: network 90108 is not a network of ES: the reference data places it in no country"]
        )
        // Without a country the row is the network's own, wherever that is.
        #expect(
            problems(
                """
                product,network,price,currency
                sms-outbound,90108,0.05,EUR
                """
            ) == []
        )
    }

    @Test func networkOfAnotherCountryThanItsPrefix() throws {
        #expect(
            onlyProblem(
                """
                product,network,prefix,price,currency
                voice-outbound,21407,52,0.05,EUR
                """
            ) == "deck.csv:2: network: network 21407 is in ES, not MX (the country of prefix 52)"
        )
        #expect(
            onlyProblem(
                """
                product,network,prefix,price,currency
                voice-outbound,ES-MOBILE,52,0.05,EUR
                """
            ) == "deck.csv:2: network: network ES-MOBILE belongs to ES, not MX (the country of prefix 52)"
        )
        // Network and prefix in Spain; pseudo-networks of the row's country stay valid.
        let deck = try W.parse(
            """
            product,country,network,prefix,price,currency
            voice-outbound,,21407,3461,0.05,EUR
            voice-outbound,ES,ES-FIXED,,0.01,EUR
            voice-outbound,,ES-MOBILE,3461,0.02,EUR
            """
        )
        #expect(deck.rates.map(\.entry.key.country) == ["ES", "ES", "ES"])
    }

    // MARK: Control characters

    @Test func controlCharactersAreRefusedWithLineAndColumn() {
        let problems = W.problems(
            """
            product,country,price,currency,description
            sms-outbound,ES,0.05,EUR,"Spain
            Mobile"
            sms-outbound,MX,0.05,USD,"Mexico
            Tel\u{0}cel"
            sms-outbound,DE,0.05\u{7},EUR,Germany
            sms-outbound,PL,"0.05
            ",EUR,Poland
            sms-outbound,CO,0.05,USD,Col\tombia
            sms-outbound,GB,0.05,GBP,\u{1B}[31mred
            """
        ).map(\.description)
        // A line break inside a quoted description is text; TAB is text anywhere.
        #expect(
            problems == [
                "deck.csv:5: description: control character U+0000 is not allowed",
                "deck.csv:6: price: control character U+0007 is not allowed",
                "deck.csv:7: price: a line break is not allowed in this column",
                "deck.csv:10: description: control character U+001B is not allowed",
            ]
        )
    }

    @Test func controlCharacterInTheHeader() {
        let text = onlyProblem("product,coun\u{1}try,price,currency\nsms-outbound,ES,0.05,EUR\n")
        #expect(text == "deck.csv:1: column 2: control character U+0001 is not allowed")
    }

    // MARK: Size

    @Test func cellOver4096BytesNamesItsColumnAndLine() {
        let problems = W.problems(
            """
            product,country,price,currency,description
            sms-outbound,ES,0.05,EUR,\(String(repeating: "y", count: 4096))
            sms-outbound,MX,0.05,USD,\(String(repeating: "x", count: 4097))
            sms-outbound,XX,0.05,EUR,after
            """
        ).map(\.description)
        #expect(problems.count == 2)
        #expect(problems.first == "deck.csv:3: description: longer than 4096 bytes")
        #expect(problems.last?.hasPrefix("deck.csv:4: country: unknown country 'XX'") == true)
    }

    // MARK: Numbers

    @Test(arguments: ["1e20", "1E-3", "2.5e3", "-1e5", ".5E+2"])
    func exponentInAPriceIsNamed(price: String) {
        let text = onlyProblem(
            """
            product,country,price,currency
            sms-outbound,ES,\(price),EUR
            """
        )
        #expect(text == "deck.csv:2: price: '\(price)': exponents are not allowed; write the number in full")
    }

    @Test func exponentInEveryDecimalColumn() {
        let fee = onlyProblem(
            """
            product,country,price,currency,connect_fee
            voice-outbound,ES,0.05,EUR,1e1
            """
        )
        #expect(fee == "deck.csv:2: connect_fee: '1e1': exponents are not allowed; write the number in full")
        let numbers = W.problems(
            """
            country,category,installation_price,monthly_price,currency
            ES,MOBILE,1e2,3E0,EUR
            """,
            options: W.options(.numbers)
        ).map(\.description)
        #expect(
            numbers == [
                "deck.csv:2: installation_price: '1e2': exponents are not allowed; write the number in full",
                "deck.csv:2: monthly_price: '3E0': exponents are not allowed; write the number in full",
            ]
        )
    }

    @Test(arguments: ["e5", "1e", "1e5x", "1.2.3e4", "1,5e2"])
    func textWithAnEIsStillNotADecimal(price: String) {
        let text = onlyProblem(
            """
            product,country,price,currency
            sms-outbound,ES,"\(price)",EUR
            """
        )
        #expect(text == "deck.csv:2: price: '\(price)' is not a decimal number")
    }

    @Test func amountTooLargeForAnAmount() {
        let text = onlyProblem(
            """
            product,country,price,currency
            sms-outbound,ES,99999999999999999999,EUR
            """
        )
        #expect(text == "deck.csv:2: price: '99999999999999999999' is too large")
    }

    // MARK: Encoding

    @Test func utf16DeckIsNamedUpFront() {
        let text = "product,country,price,currency\nsms-outbound,ES,0.05,EUR\n"
        for bytes in [CSVReaderTests.utf16(text), CSVReaderTests.utf16(text, bigEndian: true, bom: false)] {
            do {
                _ = try W.parse(bytes: bytes)
                Issue.record("a UTF-16 file imported")
            } catch {
                #expect(error.problems.map(\.description) == ["deck.csv:1: -: the file is UTF-16; save it as UTF-8"])
            }
        }
    }
}
