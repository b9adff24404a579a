import Foundation
import Testing

@testable import TariffCore

@Suite("ECBRatesParser")
struct ECBRatesParserTests {
    private static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    private func fixture(_ name: String) -> String {
        Self.fixtures.appendingPathComponent(name).path
    }

    private func ecb(_ xml: String) throws(FXFileErrors) -> [ParsedRate] {
        try ExchangeRateFile.parseECB(Array(xml.utf8), source: "test.xml")
    }

    private func csv(_ text: String) throws(FXFileErrors) -> [ParsedRate] {
        var reader = CSVReader(string: text)
        return try ExchangeRateFile.parseCSV(&reader)
    }

    /// The problems a parse reports; fails the test if it succeeds.
    private func problems(_ parse: () throws(FXFileErrors) -> [ParsedRate]) -> [FXFileError] {
        do throws(FXFileErrors) {
            let rates = try parse()
            Issue.record("expected problems, got \(rates.count) rates")
            return []
        } catch {
            return error.problems
        }
    }

    private func daily(_ body: String) -> String {
        "<gesmes:Envelope><Cube><Cube time='2026-11-20'>\n\(body)\n</Cube></Cube></gesmes:Envelope>"
    }

    // MARK: ECB XML

    @Test func dailyFile() throws {
        let bytes = try Array(Data(contentsOf: Self.fixtures.appendingPathComponent("eurofxref-daily.xml")))
        let rates = try ExchangeRateFile.parseECB(bytes, source: "eurofxref-daily.xml")
        #expect(rates.count == 16)
        #expect(rates.allSatisfy { $0.base == "EUR" && $0.date == "2026-11-20" })
        #expect(rates.first == ParsedRate(line: 9, date: "2026-11-20", base: "EUR", quote: "USD", rate: "1.0524"))
        #expect(rates.last == ParsedRate(line: 24, date: "2026-11-20", base: "EUR", quote: "ZAR", rate: "19.1032"))
        // Exact text, trailing zeros included.
        #expect(rates.first { $0.quote == "HUF" }?.rate == "409.30")
    }

    @Test func historicalFileWithTwoDays() throws {
        let result = try ExchangeRateFile.detectAndParse(path: fixture("eurofxref-hist.xml"))
        #expect(result.format == ExchangeRateFile.ecbFormat)
        let rates = result.rates
        #expect(rates.count == 20)
        #expect(rates.filter { $0.date == "2026-11-20" }.count == 10)
        #expect(rates.filter { $0.date == "2026-11-19" }.count == 10)
        #expect(rates[0] == ParsedRate(line: 2, date: "2026-11-20", base: "EUR", quote: "USD", rate: "1.0524"))
        #expect(rates[10] == ParsedRate(line: 3, date: "2026-11-19", base: "EUR", quote: "USD", rate: "1.0561"))
        #expect(rates[19] == ParsedRate(line: 3, date: "2026-11-19", base: "EUR", quote: "ZAR", rate: "19.0518"))
    }

    @Test func quotingWhitespaceAndAttributeOrder() throws {
        let xml = """
            <?xml version='1.0'?>
            <!-- mirrored copy, <Cube currency="XXX" rate="9"/> inside a comment is ignored -->
            <gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01">
              <gesmes:subject>Reference rates</gesmes:subject>
              <Cube>
                <Cube
                   time = "2026-11-20" >
                  <Cube rate="1.0524" currency="USD" />
                  <Cube\tcurrency='JPY'\trate='161.25'/>
                  <Cube
                    rate = '0.83425'
                    currency = "GBP"></Cube>
                </Cube>
                <ecb:Cube time="2026-11-19"><ecb:Cube currency="USD" rate=" 1.0561 "/></ecb:Cube>
              </Cube>
            </gesmes:Envelope>
            """
        #expect(
            try ecb(xml) == [
                ParsedRate(line: 8, date: "2026-11-20", base: "EUR", quote: "USD", rate: "1.0524"),
                ParsedRate(line: 9, date: "2026-11-20", base: "EUR", quote: "JPY", rate: "161.25"),
                ParsedRate(line: 10, date: "2026-11-20", base: "EUR", quote: "GBP", rate: "0.83425"),
                ParsedRate(line: 14, date: "2026-11-19", base: "EUR", quote: "USD", rate: "1.0561"),
            ]
        )
    }

    @Test func crlfLinesAndByteOrderMark() throws {
        let xml = "\u{FEFF}<Envelope>\r\n<Cube>\r\n<Cube time=\"2026-11-20\">\r\n<Cube currency=\"USD\" rate=\"1.05\"/>\r\n</Cube></Cube></Envelope>"
        #expect(try ecb(xml) == [ParsedRate(line: 4, date: "2026-11-20", base: "EUR", quote: "USD", rate: "1.05")])
    }

    @Test func invalidDates() {
        let xml =
            "<Cube><Cube time='2026-02-30'><Cube currency='USD' rate='1.05'/></Cube>\n<Cube time='2026-13-01'/>\n<Cube time='26-11-20'/>\n<Cube time='2026-11-2x'/>\n<Cube time='2028-02-29'><Cube currency='USD' rate='1.1'/></Cube></Cube>"
        let found = problems { () throws(FXFileErrors) in try ecb(xml) }
        #expect(
            found == [
                .problem(line: 1, message: "invalid date \"2026-02-30\" (expected a YYYY-MM-DD calendar date)"),
                .problem(line: 2, message: "invalid date \"2026-13-01\" (expected a YYYY-MM-DD calendar date)"),
                .problem(line: 3, message: "invalid date \"26-11-20\" (expected a YYYY-MM-DD calendar date)"),
                .problem(line: 4, message: "invalid date \"2026-11-2x\" (expected a YYYY-MM-DD calendar date)"),
            ]
        )
    }

    @Test func invalidCurrencyCodes() {
        let xml = daily(
            "<Cube currency='usd' rate='1'/>\n<Cube currency='US' rate='1'/>\n<Cube currency='USDX' rate='1'/>\n<Cube currency='U$D' rate='1'/>"
        )
        let found = problems { () throws(FXFileErrors) in try ecb(xml) }
        #expect(found.map(\.lineForTest) == [2, 3, 4, 5])
        #expect(found.first == .problem(line: 2, message: "invalid currency code \"usd\" (expected 3 uppercase letters)"))
    }

    @Test func invalidRatesAreAllReported() {
        let bad = ["-1.05", "0", "0.000", "1.2.3", "1e5", "1.", ".5", "1,05", "1.0000000000001", "", "+1"]
        let body = bad.map { "<Cube currency='USD' rate='\($0)'/>" }.joined(separator: "\n")
        let found = problems { () throws(FXFileErrors) in try ecb(daily(body)) }
        #expect(found.count == bad.count)
        #expect(found.map(\.lineForTest) == Array(2...(bad.count + 1)))
        #expect(found.first == .problem(line: 2, message: "invalid rate \"-1.05\" for USD (expected a positive decimal with at most 12 decimals)"))
    }

    @Test func twelveDecimalsAndLeadingZerosAreFine() throws {
        let rates = try ecb(
            daily("<Cube currency='BTC' rate='0.000012345678'/><Cube currency='JPY' rate='0161.25'/><Cube currency='KRW' rate='1500'/>")
        )
        #expect(rates.map(\.rate) == ["0.000012345678", "0161.25", "1500"])
    }

    @Test func noRatesAtAll() {
        let empty = "<gesmes:Envelope><gesmes:subject>Reference rates</gesmes:subject><Cube></Cube></gesmes:Envelope>"
        #expect(problems { () throws(FXFileErrors) in try ecb(empty) }.map(\.lineForTest) == [1])
        let html = "<!DOCTYPE html>\n<html><body><p>Service unavailable</p></body></html>"
        #expect(
            problems { () throws(FXFileErrors) in try ecb(html) } == [
                .problem(line: 1, message: "no exchange rates found (expected ECB <Cube currency=… rate=…> elements)")
            ]
        )
    }

    @Test func structuralProblems() {
        let xml = """
            <Cube>
            <Cube currency='USD' rate='1.05'/>
            <Cube time='2026-11-20'>
            <Cube currency='JPY'/>
            <Cube rate='1.2'/>
            <Cube currency='GBP' rate=0.83/>
            <Cube currency='CHF' rate='0.93
            <Cube currency='USD' rate='1.05'/>
            <Cube currency='USD' rate='1.06'/>
            </Cube></Cube>
            """
        let found = problems { () throws(FXFileErrors) in try ecb(xml) }
        #expect(
            found == [
                .problem(line: 2, message: "USD rate is outside a <Cube time=…> element"),
                .problem(line: 4, message: "JPY has no rate"),
                .problem(line: 5, message: "rate \"1.2\" has no currency"),
                .problem(line: 6, message: "malformed XML: attribute rate in <Cube> is not quoted"),
                .problem(line: 7, message: "malformed XML: attribute rate in <Cube> has no closing quote"),
                .problem(line: 9, message: "duplicate EUR/USD rate for 2026-11-20"),
            ]
        )
    }

    @Test func euroQuotedInEuroIsRefused() {
        let found = problems { () throws(FXFileErrors) in try ecb(daily("<Cube currency='USD' rate='1.05'/>\n<Cube currency='EUR' rate='2'/>")) }
        #expect(found == [.problem(line: 3, message: "base and quote are both EUR")])
        let text = FXFileErrors(file: "test.xml", problems: found).description
        #expect(text == "test.xml: line 3: base and quote are both EUR")
    }

    @Test func ecbRefusesWhatCSVRefuses() {
        // The same rows in both formats: the euro in euros, zero, negative, a pair twice on one day.
        let rows = [("EUR", "2"), ("USD", "0"), ("JPY", "-161.25"), ("GBP", "0.83"), ("GBP", "0.84"), ("CHF", "0.93")]
        let xml = daily(rows.map { "<Cube currency='\($0.0)' rate='\($0.1)'/>" }.joined(separator: "\n"))
        let text = "date,base,quote,rate\n" + rows.map { "2026-11-20,EUR,\($0.0),\($0.1)" }.joined(separator: "\n")
        let fromECB = problems { () throws(FXFileErrors) in try ecb(xml) }
        let fromCSV = problems { () throws(FXFileErrors) in try csv(text) }
        #expect(fromECB.count == 4)
        #expect(fromECB == fromCSV)
    }

    @Test func repeatedAttributeIsMalformed() {
        let found = problems { () throws(FXFileErrors) in try ecb(daily("<Cube currency='USD' rate='1.05' rate='2'/>")) }
        #expect(found == [.problem(line: 2, message: "malformed XML: attribute rate appears twice in <Cube>")])
    }

    @Test func invalidUTF8InAValueNamesItsLine() {
        let bytes =
            Array("<Cube><Cube time='2026-11-20'>\n<Cube currency='USD' rate='1.05'/>\n<Cube\n currency='GB".utf8) + [0xC3]
            + Array("P' rate='0.8'/>\n</Cube></Cube>".utf8)
        let found = problems { () throws(FXFileErrors) in try ExchangeRateFile.parseECB(bytes, source: "test.xml") }
        #expect(found == [.problem(line: 4, message: "not UTF-8 (save the file as UTF-8)")])
    }

    @Test func utf16FilesAreNamedUpFront() throws {
        let xml = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n" + daily("<Cube currency='USD' rate='1.05'/>")
        let rates = "date,base,quote,rate\n2026-11-20,EUR,USD,1.05\n"
        let utf16 = [
            CSVReaderTests.utf16(xml), CSVReaderTests.utf16(xml, bigEndian: true), CSVReaderTests.utf16(xml, bom: false),
            CSVReaderTests.utf16(rates), CSVReaderTests.utf16(rates, bigEndian: true, bom: false),
        ]
        let expected = [FXFileError.problem(line: 1, message: "the file is UTF-16; save it as UTF-8")]
        for (index, bytes) in utf16.enumerated() {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("fx-\(UUID().uuidString)").path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            defer { try? FileManager.default.removeItem(atPath: path) }
            #expect(problems { () throws(FXFileErrors) in try ExchangeRateFile.detectAndParse(path: path).rates } == expected)
            if index < 3 {
                #expect(problems { () throws(FXFileErrors) in try ExchangeRateFile.parseECB(bytes, source: "test.xml") } == expected)
            } else {
                var reader = CSVReader(bytes: bytes)
                #expect(problems { () throws(FXFileErrors) in try ExchangeRateFile.parseCSV(&reader) } == expected)
            }
        }
    }

    @Test func errorsNameTheFile() {
        do throws(FXFileErrors) {
            _ = try ExchangeRateFile.parseECB(Array("<x/>".utf8), source: "eurofxref-hist-90d.xml")
            Issue.record("expected an error")
        } catch {
            #expect(error.file == "eurofxref-hist-90d.xml")
            #expect(error.description.hasPrefix("eurofxref-hist-90d.xml: line 1: no exchange rates found"))
        }
    }

    // MARK: CSV

    @Test func csvWithAnyCaseAndOrder() throws {
        let text = "# export\nRate, QUOTE ,Date,base\n1.0524,USD,2026-11-20,EUR\n\"153.22\",JPY,2026-11-20,USD\n"
        #expect(
            try csv(text) == [
                ParsedRate(line: 3, date: "2026-11-20", base: "EUR", quote: "USD", rate: "1.0524"),
                ParsedRate(line: 4, date: "2026-11-20", base: "USD", quote: "JPY", rate: "153.22"),
            ]
        )
    }

    @Test func csvFixtureThroughDetection() throws {
        let result = try ExchangeRateFile.detectAndParse(path: fixture("fx-rates.csv"))
        #expect(result.format == ExchangeRateFile.csvFormat)
        #expect(result.rates.count == 4)
        #expect(result.rates[2] == ParsedRate(line: 5, date: "2026-11-20", base: "GBP", quote: "EUR", rate: "1.198681"))
    }

    @Test func csvStreamedFromFile() throws {
        var reader = try CSVReader(path: fixture("fx-rates.csv"), chunkSize: 5)
        #expect(try ExchangeRateFile.parseCSV(&reader).map(\.quote) == ["USD", "JPY", "EUR", "USD"])
    }

    @Test func csvMissingAndUnknownColumns() {
        let found = problems { () throws(FXFileErrors) in try csv("date,base,currency,rate,rate\n2026-11-20,EUR,USD,1.05,1.05\n") }
        #expect(
            found == [
                .problem(line: 1, message: "unknown column \"currency\" (expected date, base, quote, rate)"),
                .problem(line: 1, message: "duplicate column \"rate\""),
                .problem(line: 1, message: "missing column \"quote\""),
            ]
        )
        let unknownOnly = problems { () throws(FXFileErrors) in try csv("date,base,quote,rate,source\n2026-11-20,EUR,USD,1.05,ecb\n") }
        #expect(unknownOnly == [.problem(line: 1, message: "unknown column \"source\" (expected date, base, quote, rate)")])
    }

    @Test func csvRowProblemsAreAllCollected() {
        let text = """
            date,base,quote,rate
            2026-11-20,EUR,USD,1.05
            2026-02-29,eur,USD,-1
            2026-11-20,EUR,JPY
            2026-11-20,EUR,EUR,1
            2026-11-20,EUR,G"BP,0.8
            2026-11-20,EUR,USD,1.06
            2026-11-20,EUR,CHF,0.93
            """
        let found = problems { () throws(FXFileErrors) in try csv(text) }
        #expect(
            found == [
                .problem(line: 3, message: "invalid date \"2026-02-29\" (expected a YYYY-MM-DD calendar date)"),
                .problem(line: 3, message: "invalid currency code \"eur\" (expected 3 uppercase letters)"),
                .problem(line: 3, message: "invalid rate \"-1\" for USD (expected a positive decimal with at most 12 decimals)"),
                .problem(line: 4, message: "expected 4 fields, found 3"),
                .problem(line: 5, message: "base and quote are both EUR"),
                .problem(line: 6, message: "unexpected quote"),
                .problem(line: 7, message: "duplicate EUR/USD rate for 2026-11-20"),
            ]
        )
    }

    @Test func csvFieldOverTheLimit() {
        let found = problems { () throws(FXFileErrors) in
            try csv("date,base,quote,rate\n2026-11-20,EUR,USD,1.\(String(repeating: "0", count: 4100))\n")
        }
        #expect(found == [.problem(line: 2, message: "field 4 is longer than 4096 bytes")])
    }

    @Test func csvEmptyOrHeaderOnly() {
        #expect(
            problems { () throws(FXFileErrors) in try csv("# nothing here\n") } == [
                .problem(line: 1, message: "empty file: expected a header row \"date,base,quote,rate\"")
            ]
        )
        #expect(
            problems { () throws(FXFileErrors) in try csv("date,base,quote,rate\n") } == [
                .problem(line: 1, message: "no exchange rates found after the header")
            ]
        )
    }

    // MARK: detection

    @Test func detectionSkipsBOMAndBlanksBeforeXML() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ecb-\(UUID().uuidString).xml").path
        try Data([0xEF, 0xBB, 0xBF] + Array("\n  \t<Cube><Cube time='2026-11-20'><Cube currency='USD' rate='1.05'/></Cube></Cube>".utf8))
            .write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try ExchangeRateFile.detectAndParse(path: path)
        #expect(result.format == "ecb-xml")
        #expect(result.rates == [ParsedRate(line: 2, date: "2026-11-20", base: "EUR", quote: "USD", rate: "1.05")])
    }

    @Test func detectionReportsUnreadableFiles() {
        let path = "/nonexistent/eurofxref-daily.xml"
        #expect(throws: FXFileErrors(file: path, problems: [.unreadable(reason: "cannot open \(path): No such file or directory")])) {
            _ = try ExchangeRateFile.detectAndParse(path: path)
        }
    }
}

extension FXFileError {
    fileprivate var lineForTest: Int? {
        if case .problem(let line, _) = self { return line }
        return nil
    }
}
