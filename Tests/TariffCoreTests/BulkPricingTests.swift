import Testing

@testable import TariffCore

private typealias W = TestWorld

@Suite("Bulk pricing: numbers in, one answer per number out, and a summary")
struct BulkPricingTests {
    static let deck = """
        product,country,network,prefix,number_type,price,currency,description
        voice-outbound,ES,,,,0.10,EUR,Spain
        voice-outbound,,21407,,,0.05,EUR,Spain Movistar
        voice-outbound,,,346111,,0.01,EUR,Spain special block
        voice-outbound,DE,,,mobile,0.125,EUR,Germany mobile
        voice-outbound,US,,,,0.004,USD,United States
        """

    static func pricer(currency: String? = nil, rates: [ExchangeRate] = []) throws -> BulkPricer {
        BulkPricer(
            book: PricedBook(try W.book(deck)),
            product: .voiceOutbound,
            origin: nil,
            at: W.instant("2026-02-01"),
            currency: currency.map(W.currency),
            fx: ExchangeRateTable(rates: rates)
        )
    }

    /// Runs `input` through a bulk run, fed in chunks of `chunk` bytes.
    static func run(
        _ input: String,
        chunk: Int = 1 << 20,
        input format: BulkPricing.Format? = nil,
        output: BulkPricing.Format? = nil,
        pricer: BulkPricer? = nil
    ) throws -> (text: String, summary: BulkPriceSummary) {
        var run = BulkPricing(pricer: try pricer ?? Self.pricer(), input: format, output: output)
        var out: [UInt8] = []
        let bytes = Array(input.utf8)
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + chunk)
            bytes[start..<end].withUnsafeBytes { run.feed($0, into: &out) }
            start = end
        }
        run.finish(into: &out)
        return (String(decoding: out, as: UTF8.self), run.summary)
    }

    @Test func oneNumberPerLineWithoutAHeader() throws {
        let (text, summary) = try Self.run("+34611100000\n34611234567\n+49 1512 3456789\n0034910000000\n")
        #expect(
            text == """
                number,e164,country,type,network,match,price,currency,error
                +34611100000,+34611100000,ES,mobile,21407,prefix 346111,0.01000000,EUR,
                34611234567,+34611234567,ES,mobile,21407,network 21407,0.05000000,EUR,
                +49 1512 3456789,+4915123456789,DE,mobile,26201,type mobile,0.12500000,EUR,
                0034910000000,+34910000000,ES,landline,,country ES,0.10000000,EUR,

                """
        )
        #expect(summary.all.count == 4 && summary.all.priced == 4 && summary.unpricedCount == 0)
        // 0.01 + 0.05 + 0.125 + 0.10, by hand.
        #expect(summary.all.totals == [W.currency("EUR"): 28_500_000])
        #expect(summary.byCountry["ES"]?.count == 3 && summary.byCountry["ES"]?.totals[W.currency("EUR")] == 16_000_000)
        #expect(summary.byType["mobile"]?.count == 3 && summary.byType["landline"]?.count == 1)
    }

    @Test func aHeaderNamesTheNumberColumnAmongOthers() throws {
        let input = """
            customer,Number,note
            acme,+34611100000,"first, with a comma"
            "Smith, J","+1 212 555 0100","a ""quoted"" note"
            bolt,,empty
            short
            """
        let (text, summary) = try Self.run(input)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[1].hasPrefix("+34611100000,+34611100000,ES,"))
        #expect(lines[2] == "+1 212 555 0100,+12125550100,US,landline,,country US,0.00400000,USD,")
        // Errors with a comma are quoted cells.
        #expect(lines[3].hasPrefix(",,,,,,,,\"not a phone number: empty"))
        #expect(lines[4] == ",,,,,,,,\"no number: the line has 1 columns, the numbers are in column 2\"")
        #expect(summary.all.count == 4 && summary.all.priced == 2 && summary.unpricedCount == 2)
        #expect(summary.unpriced.map(\.line) == [4, 5])
        #expect(summary.all.totals == [W.currency("EUR"): 1_000_000, W.currency("USD"): 400_000])
    }

    @Test func whatCannotBePricedIsAnErrorLineAndTheRestGoOn() throws {
        let (text, summary) = try Self.run("+34611100000\n=HYPERLINK(\"x\")\n+4930123456\n+999123\n+34611100000\n")
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.count == 6)
        // Text that is not a number is escaped for spreadsheets, and quoted for its quotes.
        #expect(lines[2].hasPrefix("\"'=HYPERLINK(\"\"x\"\")\",,,,,,,,"))
        #expect(lines[3] == "+4930123456,+4930123456,DE,landline,,,,,no voice-outbound price for +4930123456 at 2026-02-01T00:00:00Z")
        #expect(lines[4].hasSuffix("is in no known country's numbering plan"))
        #expect(lines[5].hasPrefix("+34611100000,+34611100000,ES,"))
        #expect(summary.unpricedCount == 3 && summary.all.priced == 2)
        #expect(summary.byCountry[""]?.count == 2)
        #expect(summary.byCountry["DE"]?.priced == 0)
    }

    @Test func ndjsonInAndOut() throws {
        let input = """
            {"number":"+34611100000","ref":7,"vip":true,"note":null}
            {"to": "+12125550100"}
            {"ref":1}
            [1]
            {"number":"+34\\u0036"}
            {"number":"+34611100000","number":"+34611100000"}
            """
        let (text, summary) = try Self.run(input)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(
            lines[0]
                == #"{"number":"+34611100000","e164":"+34611100000","country":"ES","type":"mobile","network":"21407","match":"prefix 346111","price":"0.01000000","currency":"EUR"}"#
        )
        #expect(lines[1].contains(#""e164":"+12125550100""#))
        #expect(lines[2] == #"{"number":"","error":"no number: give it as {\"number\":\"+34612345678\"}"}"#)
        #expect(lines[3].contains("not a JSON object"))
        #expect(lines[4].contains("one string of ASCII text without escapes"))
        #expect(lines[5].contains("one string of ASCII text without escapes"))
        #expect(lines.count == 6)
        #expect(summary.all.count == 6 && summary.all.priced == 2)
    }

    @Test func csvInNdjsonOutAndTheReverse() throws {
        let fromCSV = try Self.run("+34611100000\n", output: .ndjson).text
        let fromJSON = try Self.run("{\"number\":\"+34611100000\"}\n", output: .csv).text
        #expect(fromCSV.hasPrefix(#"{"number":"+34611100000","#))
        #expect(
            fromJSON
                == "number,e164,country,type,network,match,price,currency,error\n+34611100000,+34611100000,ES,mobile,21407,prefix 346111,0.01000000,EUR,\n"
        )
        // A declared format is kept: a CSV body that starts with `{` is a CSV cell.
        #expect(try Self.run("{\"number\":\"+34611100000\"}\n", input: .csv).summary.unpricedCount == 1)
    }

    @Test func chunkBoundariesChangeNothing() throws {
        var input = "\u{FEFF}number\r\n"
        for index in 0..<300 { input += ["+34611100000", "+4915123456789", "junk", "", "+12125550100", "  +34910000000  "][index % 6] + "\r\n" }
        input += "+34611234567"  // no final line break
        let whole = try Self.run(input)
        for chunk in [1, 2, 3, 7, 64, 4097] {
            let pieces = try Self.run(input, chunk: chunk)
            #expect(pieces.text == whole.text, "chunks of \(chunk) bytes")
            #expect(pieces.summary == whole.summary)
        }
        #expect(whole.summary.all.count == 251)
        #expect(whole.text.hasSuffix("+34611234567,+34611234567,ES,mobile,21407,network 21407,0.05000000,EUR,\n"))
        #expect(!whole.text.contains("\r"))
    }

    @Test func aLineTooLongIsRefusedAndTheNextIsRead() throws {
        let long = String(repeating: "9", count: 5000)
        for chunk in [1 << 20, 1000] {
            let (text, summary) = try Self.run("+34611100000\n\(long)\n+34611100000\n", chunk: chunk)
            let lines = text.split(separator: "\n").map(String.init)
            #expect(lines.count == 4)
            #expect(lines[2] == ",,,,,,,,line longer than 4096 bytes")
            #expect(summary.unpriced.first?.line == 2)
            #expect(summary.all.priced == 2)
        }
    }

    /// Every priced line says what `RateBook.quote` says of the number, converted as the native API converts.
    @Test func answersAreTheQuotesOfEachNumber() throws {
        let rates = [
            ExchangeRate(
                date: W.instant("2026-01-01"),
                base: W.currency("EUR"),
                quote: W.currency("USD"),
                rate: try RateValue(parsing: "1.0837"),
                source: "test"
            )
        ]
        let pricer = try Self.pricer(currency: "USD", rates: rates)
        let numbers = ["+34611100000", "+34611234567", "+4915123456789", "+34910000000", "+12125550100", "+5215512345678"]
        let (text, _) = try Self.run(numbers.joined(separator: "\n"), pricer: pricer)
        let lines = text.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        for (number, cells) in zip(numbers, lines) {
            let phone = W.number(number)
            guard let quote = try? pricer.book.quote(phone, product: .voiceOutbound, at: pricer.instant) else {
                #expect(cells[6].isEmpty && !cells[8].isEmpty, "\(number) has no quote, so no price")
                continue
            }
            let converted = try ExchangeRateTable(rates: rates).convert(quote.price, to: W.currency("USD"))
            #expect(cells[6] == converted.amount.formatted() && cells[7] == "USD", "\(number)")
            #expect(cells[2] == quote.destination.country?.iso2 && cells[3] == quote.destination.numberType?.rawValue)
        }
        #expect(lines[0][6] == "0.01083700")
    }

    /// Numbers are parsed and prefetched a group at a time: every line of a run spanning many
    /// groups, with refused lines among them, reads as that number priced alone.
    @Test func groupsOfNumbersAnswerAsEachNumberAlone() throws {
        let pricer = try Self.pricer()
        let cycle = ["+34611100000", "junk", "+34611199999", "+4915123456789", "+34910000000", "+12125550100", "+3461", "+34611234567", "+999"]
        let numbers = (0..<(BulkPricing.prefetchGroup * 5 + 3)).map { cycle[$0 % cycle.count] }
        let (text, summary) = try Self.run("number\n" + numbers.joined(separator: "\n"), pricer: pricer)
        var alone: [UInt8] = []
        for number in numbers { BulkOutput.csv(pricer.price(number), into: &alone) }
        #expect(text == BulkPricing.columns.joined(separator: ",") + "\n" + String(decoding: alone, as: UTF8.self))
        #expect(summary.all.count == numbers.count)
        #expect(text.contains("+34611199999,+34611199999,ES,mobile,21407,prefix 346111,0.01000000,EUR,"))
    }

    @Test func aMissingExchangeRateIsEachLinesError() throws {
        let (text, summary) = try Self.run("+34611100000\n", pricer: try Self.pricer(currency: "PLN"))
        #expect(text.contains("no exchange rate from EUR to PLN"))
        #expect(summary.all.priced == 0 && summary.unpricedCount == 1)
    }

    @Test func theSummaryListsTheFirstThousandAndCountsAll() throws {
        let input = String(repeating: "nope\n", count: BulkPriceSummary.listLimit + 5)
        let summary = try Self.run(input).summary
        #expect(summary.unpricedCount == BulkPriceSummary.listLimit + 5)
        #expect(summary.unpriced.count == BulkPriceSummary.listLimit)
        #expect(summary.json.contains(#""unpriced":1005"#))
        #expect(summary.text(listing: 3).contains("the first 3 of 1005"))
    }

    @Test func anEmptyInputIsAHeaderAndAnEmptySummary() throws {
        let (text, summary) = try Self.run("")
        #expect(text == "number,e164,country,type,network,match,price,currency,error\n")
        #expect(summary.json == #"{"count":0,"priced":0,"unpriced":0,"totals":[],"by_country":[],"by_type":[],"unpriced_numbers":[]}"#)
    }
}
