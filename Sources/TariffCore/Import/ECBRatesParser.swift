/// One exchange rate read from a file: `rate` units of `quote` per 1 `base`,
/// kept as the exact decimal text of the file.
public struct ParsedRate: Sendable, Equatable {
    /// 1-based line of the rate in its file.
    public let line: Int
    /// YYYY-MM-DD.
    public let date: String
    /// ISO 4217 code of the currency being priced (EUR for ECB files).
    public let base: String
    /// ISO 4217 code of the currency the rate is expressed in.
    public let quote: String
    /// Units of `quote` per 1 `base`, exactly as written in the file.
    public let rate: String

    /// Makes a rate; the parsers validate their fields, this does not.
    public init(line: Int, date: String, base: String, quote: String, rate: String) {
        self.line = line
        self.date = date
        self.base = base
        self.quote = quote
        self.rate = rate
    }
}

/// One problem found in an exchange-rate file.
public enum FXFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Something wrong at `line` (1-based) of the file.
    case problem(line: Int, message: String)
    /// The file could not be opened or read at all.
    case unreadable(reason: String)

    /// `line N: message`, or the I/O reason.
    public var description: String {
        switch self {
        case .problem(let line, let message): "line \(line): \(message)"
        case .unreadable(let reason): reason
        }
    }
}

/// Every problem found in one exchange-rate file; thrown instead of partial results.
public struct FXFileErrors: Error, Equatable, Sendable, CustomStringConvertible {
    /// The path or other name of the file.
    public let file: String
    /// In file order; never empty.
    public let problems: [FXFileError]

    /// Groups problems under a file name.
    public init(file: String, problems: [FXFileError]) {
        self.file = file
        self.problems = problems
    }

    /// One `file: line N: message` line per problem.
    public var description: String {
        problems.map { "\(file): \($0)" }.joined(separator: "\n")
    }
}

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

    /// Parses a CSV with the columns `date,base,quote,rate` (any order, names case-insensitive).
    public static func parseCSV(_ reader: inout CSVReader) throws(FXFileErrors) -> [ParsedRate] {
        try parseCSV(&reader, file: reader.path ?? "<memory>")
    }

    /// Reads a file and parses it as ECB XML if its first non-blank byte is `<`, else as CSV.
    public static func detectAndParse(path: String) throws(FXFileErrors) -> (format: String, rates: [ParsedRate]) {
        let bytes: [UInt8]
        do {
            bytes = try CSVReader.readAll(path: path)
        } catch {
            throw FXFileErrors(file: path, problems: [.unreadable(reason: error.description)])
        }
        var start = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        while start < bytes.count, isXMLSpace(bytes[start]) { start += 1 }
        if start < bytes.count && bytes[start] == UInt8(ascii: "<") {
            return (ecbFormat, try parseECB(bytes, source: path))
        }
        var reader = CSVReader(bytes: bytes)
        return (csvFormat, try parseCSV(&reader, file: path))
    }

    private static let csvColumns = ["date", "base", "quote", "rate"]

    static func parseCSV(_ reader: inout CSVReader, file: String) throws(FXFileErrors) -> [ParsedRate] {
        var checker = RateChecker()
        let first: CSVRecord?
        do throws(CSVError) {
            first = try reader.next()
        } catch {
            throw FXFileErrors(file: file, problems: [problem(from: error)])
        }
        guard let header = first else {
            throw FXFileErrors(file: file, problems: [
                .problem(line: 1, message: "empty file: expected a header row \"date,base,quote,rate\""),
            ])
        }

        // Column positions by name; missing columns make rows unreadable, so stop there.
        let names = CSVReader.Header(header).names
        var index: [String: Int] = [:]
        for (position, name) in names.enumerated() {
            if !csvColumns.contains(name) {
                checker.problems.append(.problem(line: header.line, message: "unknown column \"\(name)\" (expected date, base, quote, rate)"))
            } else if index[name] != nil {
                checker.problems.append(.problem(line: header.line, message: "duplicate column \"\(name)\""))
            } else {
                index[name] = position
            }
        }
        for column in csvColumns where index[column] == nil {
            checker.problems.append(.problem(line: header.line, message: "missing column \"\(column)\""))
        }
        guard let date = index["date"], let base = index["base"], let quote = index["quote"], let rate = index["rate"] else {
            return try checker.result(file: file)
        }

        while true {
            let record: CSVRecord
            do throws(CSVError) {
                guard let next = try reader.next() else { break }
                record = next
            } catch {
                checker.problems.append(problem(from: error))
                if error.line == nil { break } // I/O failures do not go away on retry
                continue
            }
            guard record.fields.count == names.count else {
                checker.problems.append(.problem(line: record.line, message: "expected \(names.count) fields, found \(record.fields.count)"))
                continue
            }
            let f = record.fields
            checker.addCSV(date: f[date], base: f[base], quote: f[quote], rate: f[rate], line: record.line)
        }

        if checker.rates.isEmpty && checker.problems.isEmpty {
            checker.problems.append(.problem(line: header.line, message: "no exchange rates found after the header"))
        }
        return try checker.result(file: file)
    }

    private static func problem(from error: CSVError) -> FXFileError {
        switch error {
        case .notUTF8(let line): .problem(line: line, message: "invalid UTF-8")
        case .unterminatedQuote(let line): .problem(line: line, message: "quoted field is never closed")
        case .unexpectedQuote(let line): .problem(line: line, message: "unexpected quote")
        case .cannotOpen, .readFailed: .unreadable(reason: error.description)
        }
    }

    /// `gesmes:Envelope` → `Envelope`: the ECB puts its rates in the default namespace,
    /// but a re-serialized file may carry a prefix.
    private static func localName(_ name: String) -> Substring {
        guard let colon = name.lastIndex(of: ":") else { return Substring(name) }
        return name[name.index(after: colon)...]
    }

    fileprivate static func isXMLSpace(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D
    }
}

/// Validates rates and collects them with every problem found.
private struct RateChecker {
    var rates: [ParsedRate] = []
    var problems: [FXFileError] = []
    /// date, base, quote of each rate seen, to catch a pair listed twice for one day.
    private var seen: Set<[String]> = []

    mutating func addECB(currency: String?, rate: String?, date: (date: String, valid: Bool)?, line: Int) {
        guard let currency else {
            problems.append(.problem(line: line, message: "rate \"\(rate ?? "")\" has no currency"))
            return
        }
        var ok = checkCurrency(currency, line: line)
        if let rate {
            ok = checkRate(rate, currency: currency, line: line) && ok
        } else {
            problems.append(.problem(line: line, message: "\(currency) has no rate"))
            ok = false
        }
        guard let date else {
            problems.append(.problem(line: line, message: "\(currency) rate is outside a <Cube time=…> element"))
            return
        }
        // An invalid date was already reported where it appears.
        if ok && date.valid, let rate {
            add(ParsedRate(line: line, date: date.date, base: "EUR", quote: currency, rate: rate))
        }
    }

    mutating func addCSV(date: String, base: String, quote: String, rate: String, line: Int) {
        var ok = checkDate(date, line: line)
        ok = checkCurrency(base, line: line) && ok
        ok = checkCurrency(quote, line: line) && ok
        ok = checkRate(rate, currency: quote, line: line) && ok
        if ok && base == quote {
            problems.append(.problem(line: line, message: "base and quote are both \(base)"))
            ok = false
        }
        if ok { add(ParsedRate(line: line, date: date, base: base, quote: quote, rate: rate)) }
    }

    private mutating func add(_ rate: ParsedRate) {
        if seen.insert([rate.date, rate.base, rate.quote]).inserted {
            rates.append(rate)
        } else {
            problems.append(.problem(line: rate.line, message: "duplicate \(rate.base)/\(rate.quote) rate for \(rate.date)"))
        }
    }

    func result(file: String) throws(FXFileErrors) -> [ParsedRate] {
        if !problems.isEmpty { throw FXFileErrors(file: file, problems: problems) }
        return rates
    }

    mutating func checkDate(_ text: String, line: Int) -> Bool {
        if Self.isCalendarDate(text) { return true }
        problems.append(.problem(line: line, message: "invalid date \"\(text)\" (expected a YYYY-MM-DD calendar date)"))
        return false
    }

    mutating func checkCurrency(_ text: String, line: Int) -> Bool {
        let bytes = Array(text.utf8)
        if bytes.count == 3 && bytes.allSatisfy({ $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) { return true }
        problems.append(.problem(line: line, message: "invalid currency code \"\(text)\" (expected 3 uppercase letters)"))
        return false
    }

    mutating func checkRate(_ text: String, currency: String, line: Int) -> Bool {
        if Self.isPlainPositiveDecimal(text) { return true }
        problems.append(.problem(line: line, message: "invalid rate \"\(text)\" for \(currency) (expected a positive decimal with at most 12 decimals)"))
        return false
    }

    static func isCalendarDate(_ text: String) -> Bool {
        let b = Array(text.utf8)
        guard b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-") else { return false }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for i in range {
                guard b[i] >= UInt8(ascii: "0") && b[i] <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(b[i] - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              year >= 1, (1...12).contains(month), day >= 1 else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return day <= days
    }

    /// Digits, optionally `.` and 1–12 more digits, not zero; no sign or exponent.
    static func isPlainPositiveDecimal(_ text: String) -> Bool {
        var integerDigits = 0, fractionDigits = 0, sawDot = false, nonZero = false
        for c in text.utf8 {
            if c == UInt8(ascii: ".") {
                if sawDot { return false }
                sawDot = true
            } else if c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") {
                if sawDot { fractionDigits += 1 } else { integerDigits += 1 }
                if c != UInt8(ascii: "0") { nonZero = true }
            } else {
                return false
            }
        }
        return integerDigits > 0 && (!sawDot || fractionDigits > 0) && fractionDigits <= 12 && nonZero
    }
}

/// A minimal tag scanner, enough for the ECB files: start, end and empty-element tags
/// with attributes; comments, processing instructions, CDATA and DOCTYPE are skipped,
/// text is ignored.
private struct ECBScanner {
    struct Tag {
        var name: String
        var attributes: [(name: String, value: String)] = []
        var isEnd = false
        var selfClosing = false
        var line: Int

        /// Value with surrounding blanks removed; entities are not expanded (none occur in rates).
        func attribute(_ name: String) -> String? {
            guard let value = attributes.first(where: { $0.name == name })?.value else { return nil }
            let bytes = Array(value.utf8)
            var start = 0, end = bytes.count
            while start < end, ExchangeRateFile.isXMLSpace(bytes[start]) { start += 1 }
            while end > start, ExchangeRateFile.isXMLSpace(bytes[end - 1]) { end -= 1 }
            return String(decoding: bytes[start..<end], as: UTF8.self)
        }
    }

    let b: [UInt8]
    var i = 0
    var line = 1

    init(bytes: [UInt8]) { b = bytes }

    /// The next tag, a problem (after which scanning resumes past the bad tag), or nil at end.
    mutating func nextTag() -> Result<Tag, FXFileError>? {
        var start = line
        while true {
            while i < b.count && b[i] != UInt8(ascii: "<") { advance() }
            guard i < b.count else { return nil }
            start = line
            let skipped: Bool
            if hasPrefix("<!--") {
                skipped = skip(past: "-->")
            } else if hasPrefix("<![CDATA[") {
                skipped = skip(past: "]]>")
            } else if hasPrefix("<?") {
                skipped = skip(past: "?>")
            } else if hasPrefix("<!") {
                skipped = skip(past: ">")
            } else {
                break
            }
            if !skipped { return .failure(.problem(line: start, message: "malformed XML: a comment or declaration is never closed")) }
        }

        advance()
        var tag = Tag(name: "", line: start)
        if i < b.count && b[i] == UInt8(ascii: "/") {
            tag.isEnd = true
            advance()
        }
        tag.name = readName()
        if tag.name.isEmpty { return malformed(start, "a tag without a name") }
        while true {
            skipSpace()
            guard i < b.count else { return malformed(start, "<\(tag.name) is never closed") }
            let c = b[i]
            if c == UInt8(ascii: ">") {
                advance()
                return .success(tag)
            }
            if c == UInt8(ascii: "/") && !tag.isEnd && peek(1) == UInt8(ascii: ">") {
                advance()
                advance()
                tag.selfClosing = true
                return .success(tag)
            }
            if tag.isEnd { return malformed(start, "unexpected text in </\(tag.name)>") }
            let name = readName()
            if name.isEmpty { return malformed(start, "unexpected character in <\(tag.name)>") }
            skipSpace()
            guard i < b.count, b[i] == UInt8(ascii: "=") else { return malformed(start, "attribute \(name) in <\(tag.name)> has no value") }
            advance()
            skipSpace()
            guard i < b.count, b[i] == UInt8(ascii: "\"") || b[i] == UInt8(ascii: "'") else {
                return malformed(start, "attribute \(name) in <\(tag.name)> is not quoted")
            }
            let quote = b[i]
            advance()
            let valueStart = i
            while i < b.count && b[i] != quote && b[i] != UInt8(ascii: "<") { advance() }
            guard i < b.count, b[i] == quote else { return malformed(start, "attribute \(name) in <\(tag.name)> has no closing quote") }
            tag.attributes.append((name, String(decoding: b[valueStart..<i], as: UTF8.self)))
            advance()
        }
    }

    private func peek(_ offset: Int) -> UInt8? {
        i + offset < b.count ? b[i + offset] : nil
    }

    private func hasPrefix(_ text: StaticString) -> Bool {
        let count = text.utf8CodeUnitCount
        guard i + count <= b.count else { return false }
        return text.withUTF8Buffer { prefix in
            (0..<count).allSatisfy { b[i + $0] == prefix[$0] }
        }
    }

    /// Counts line breaks as it goes: LF, CRLF and lone CR each count once.
    private mutating func advance() {
        let c = b[i]
        if c == 0x0A || (c == 0x0D && peek(1) != 0x0A) { line += 1 }
        i += 1
    }

    private mutating func skipSpace() {
        while i < b.count && ExchangeRateFile.isXMLSpace(b[i]) { advance() }
    }

    private mutating func readName() -> String {
        let start = i
        while i < b.count {
            let c = b[i]
            if ExchangeRateFile.isXMLSpace(c) || c == UInt8(ascii: "/") || c == UInt8(ascii: ">") || c == UInt8(ascii: "=")
                || c == UInt8(ascii: "<") || c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") { break }
            advance()
        }
        return String(decoding: b[start..<i], as: UTF8.self)
    }

    /// Moves past `end`; false if the input ends first.
    private mutating func skip(past end: StaticString) -> Bool {
        while i < b.count {
            if hasPrefix(end) {
                for _ in 0..<end.utf8CodeUnitCount { advance() }
                return true
            }
            advance()
        }
        return false
    }

    /// Reports a broken tag and resumes after its `>` (or at the next `<`).
    private mutating func malformed(_ start: Int, _ message: String) -> Result<Tag, FXFileError> {
        while i < b.count && b[i] != UInt8(ascii: ">") && b[i] != UInt8(ascii: "<") { advance() }
        if i < b.count && b[i] == UInt8(ascii: ">") { advance() }
        return .failure(.problem(line: start, message: "malformed XML: \(message)"))
    }
}
