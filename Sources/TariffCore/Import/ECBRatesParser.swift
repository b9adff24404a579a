/// Parsers for exchange-rate files: the ECB euro reference rates XML
/// (`eurofxref-daily.xml`, `eurofxref-hist-90d.xml`, `eurofxref-hist.xml`)
/// and a CSV with the columns `date,base,quote,rate`.
public enum ExchangeRateFile {
    /// Format name `detectAndParse` reports for ECB XML.
    public static let ecbFormat = "ecb-xml"
    /// Format name `detectAndParse` reports for CSV.
    public static let csvFormat = "csv"

    /// Parses ECB reference rates; every rate has base "EUR" and the `currency` as quote.
    /// - Parameter source: the file name used in errors.
    public static func parseECB(_ bytes: [UInt8], source: String) throws(FXFileErrors) -> [ParsedRate] {
        try refuseOtherEncoding(bytes, file: source)
        var scanner = ECBScanner(bytes: bytes)
        var checker = RateChecker()
        // One entry per open <Cube>: the date it sets, if any.
        var open: [(date: String, valid: Bool)?] = []

        while let item = scanner.nextTag() {
            let tag: ECBScanner.Tag
            switch item {
            case .failure(let problem):
                checker.problems.append(problem)
                continue
            case .success(let found):
                tag = found
            }
            guard localName(tag.name) == "Cube" else { continue }
            if tag.isEnd {
                _ = open.popLast()
                continue
            }

            var dated: (date: String, valid: Bool)?
            if let time = tag.attribute("time") {
                dated = (time, checker.checkDate(time, line: tag.line))
            }
            let currency = tag.attribute("currency")
            let rate = tag.attribute("rate")
            if currency != nil || rate != nil {
                let context = dated ?? open.last(where: { $0 != nil }) ?? nil
                checker.addECB(currency: currency, rate: rate, date: context, line: tag.line)
            }
            if !tag.selfClosing { open.append(dated) }
        }

        if checker.rates.isEmpty && checker.problems.isEmpty {
            checker.problems.append(.problem(line: 1, message: "no exchange rates found (expected ECB <Cube currency=… rate=…> elements)"))
        }
        return try checker.result(file: source)
    }

    /// Reads a file and parses it as ECB XML if its first non-blank byte is `<`, else as CSV.
    public static func detectAndParse(path: String) throws(FXFileErrors) -> (format: String, rates: [ParsedRate]) {
        let bytes: [UInt8]
        do {
            bytes = try CSVReader.readAll(path: path)
        } catch {
            throw FXFileErrors(file: path, problems: [.unreadable(reason: error.description)])
        }
        // Before detection: UTF-16 XML does not start with the byte `<`.
        try refuseOtherEncoding(bytes, file: path)
        var start = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        while start < bytes.count, isXMLSpace(bytes[start]) { start += 1 }
        if start < bytes.count && bytes[start] == UInt8(ascii: "<") {
            return (ecbFormat, try parseECB(bytes, source: path))
        }
        var reader = CSVReader(bytes: bytes)
        return (csvFormat, try parseCSV(&reader, file: path))
    }

    /// A UTF-16 file read as bytes would report its NULs as broken tags or values; name the encoding instead.
    private static func refuseOtherEncoding(_ bytes: [UInt8], file: String) throws(FXFileErrors) {
        guard let encoding = TextEncodingCheck.otherEncoding(bytes) else { return }
        throw FXFileErrors(file: file, problems: [.problem(line: 1, message: CSVError.otherEncoding(encoding).problem)])
    }

    /// `gesmes:Envelope` → `Envelope`: the ECB puts its rates in the default namespace,
    /// but a re-serialized file may carry a prefix.
    private static func localName(_ name: String) -> Substring {
        guard let colon = name.lastIndex(of: ":") else { return Substring(name) }
        return name[name.index(after: colon)...]
    }

    static func isXMLSpace(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D
    }
}
