/// Reads a deck file into validated rows, or fails with every problem found. Pure: it
/// compares nothing with stored prices (``DeckPlanner`` does) and writes nothing.
public struct DeckParser {
    let file: String
    let options: DeckOptions
    let reference: ReferenceData
    var problems: ProblemList
    var deck: ParsedDeck
    var seenRates: [RateIdentity: Int] = [:]
    var seenNumbers: [NumberIdentity: Int] = [:]
    var seenServices: [ServiceIdentity: Int] = [:]
    var seenTemplates: [TemplateIdentity: Int] = [:]
    /// Decks repeat a handful of increments on every row: parse each text once.
    var increments: [String: BillingIncrement] = [:]

    struct RateIdentity: Hashable {
        let key: RateKey
        let from: Instant
    }
    struct NumberIdentity: Hashable {
        let key: NumberPriceKey
        let from: Instant
    }
    struct TemplateIdentity: Hashable {
        let key: TemplateKey
        let from: Instant
    }
    struct ServiceIdentity: Hashable {
        let key: ServicePriceKey
        let from: Instant
    }

    /// Reads the whole file. `progress` is called now and then with (bytes read, total bytes).
    public static func parse(
        _ reader: inout CSVReader,
        file: String,
        options: DeckOptions,
        reference: ReferenceData,
        progress: ((Int, Int?) -> Void)? = nil
    ) throws(ImportFailure) -> ParsedDeck {
        var parser = DeckParser(file: file, options: options, reference: reference)
        try parser.run(&reader, progress: progress)
        return parser.deck
    }

    init(file: String, options: DeckOptions, reference: ReferenceData) {
        self.file = file
        self.options = options
        self.reference = reference
        problems = ProblemList(file: file)
        deck = ParsedDeck(file: file, kind: options.kind)
    }

    private var spec: DeckColumns {
        switch options.kind {
        case .rates: .rates
        case .carrier: .carrier
        case .numbers: .numbers
        case .templates: .templates
        }
    }

    mutating func run(_ reader: inout CSVReader, progress: ((Int, Int?) -> Void)?) throws(ImportFailure) {
        // `tariff export` writes decks with ``CSVCell/escaped(_:)``: read them back to the same text.
        reader.unescapesCells = true
        do {
            guard let header = try reader.next() else {
                problems.add(line: 1, column: "-", "the file is empty: a header row is expected")
                throw problems.failure()
            }
            let numbered = header.fields.indices.map { "column \($0 + 1)" }
            if reader.lastRecordHasControlBytes, !refuseControlCharacters(header, columns: numbered, lineBreaks: []) {
                throw problems.failure()
            }
            guard let columns = resolveHeader(header) else { throw problems.failure() }
            let positions = ColumnPositions(columns)
            // Every header cell resolved, so each index has its canonical name.
            var names = numbered
            for (name, index) in columns { names[index] = name }
            let lineBreaks = Set(columns.filter { Self.multilineColumns.contains($0.key) }.values)
            // Sized from the file so that the duplicate check does not keep rehashing.
            if let total = reader.totalBytes { seenRates.reserveCapacity(min(total / 24, 4_000_000)) }
            var sinceProgress = 0
            while let record = try nextRecord(&reader, columns: names) {
                deck.rowCount += 1
                guard record.fields.count == header.fields.count else {
                    problems.add(line: record.line, column: "-", "\(record.fields.count) fields where the header has \(header.fields.count)")
                    continue
                }
                if reader.lastRecordHasControlBytes, !refuseControlCharacters(record, columns: names, lineBreaks: lineBreaks) { continue }
                let row = DeckRecord(record: record, columns: positions)
                switch options.kind {
                case .rates, .carrier: readRate(row)
                case .numbers: readNumberPrice(row)
                case .templates: readTemplatePrice(row)
                }
                sinceProgress += 1
                if sinceProgress == 10_000, let progress {
                    sinceProgress = 0
                    progress(reader.bytesRead, reader.totalBytes)
                }
            }
        } catch let error as CSVError {
            problems.add(line: error.line ?? 0, column: "-", error.problem)
        } catch let failure as ImportFailure {
            throw failure
        } catch {
            problems.add(line: 0, column: "-", "\(error)")
        }
        if deck.rowCount == 0, problems.isEmpty {
            problems.add(line: 1, column: "-", "no data rows after the header")
        }
        guard problems.isEmpty else { throw problems.failure() }
    }

    /// The next record; a malformed line (invalid UTF-8, a stray quote) is reported and skipped,
    /// so that every bad row is listed. Errors without a line (reading the file) end the read.
    private mutating func nextRecord(_ reader: inout CSVReader, columns: [String]) throws(CSVError) -> CSVRecord? {
        while true {
            do throws(CSVError) { return try reader.next() } catch {
                guard let line = error.line else { throw error }
                if case .fieldTooLong(_, let field) = error, field <= columns.count {
                    problems.add(line: line, column: columns[field - 1], "longer than \(CSVReader.maxFieldBytes) bytes")
                } else {
                    problems.add(line: line, column: "-", error.problem)
                }
            }
        }
    }

    /// Free text, where a quoted cell may hold line breaks.
    static let multilineColumns: Set<String> = ["description", "region_name"]

    /// Reports each cell holding a control character: TAB is text, and line breaks are allowed
    /// only in the `lineBreaks` columns. Invisible in a spreadsheet, such bytes would otherwise
    /// be stored and served back. The line given is the physical line of the character.
    private mutating func refuseControlCharacters(_ record: CSVRecord, columns: [String], lineBreaks: Set<Int>) -> Bool {
        let before = problems.total
        var line = record.line
        for (index, field) in record.fields.enumerated() {
            // Usually one cell of the record is the culprit.
            guard field.utf8.contains(where: { $0 < 0x20 }) else { continue }
            let breaksAllowed = lineBreaks.contains(index)
            var reported = false
            var previous: UInt8 = 0
            for byte in field.utf8 {
                let isBreak = byte == 0x0A || byte == 0x0D
                if !reported, byte < 0x20, byte != 0x09, !(isBreak && breaksAllowed) {
                    let column = index < columns.count ? columns[index] : "column \(index + 1)"
                    problems.add(
                        line: line,
                        column: column,
                        isBreak
                            ? "a line break is not allowed in this column"
                            : "control character U+\(Self.hex4(byte)) is not allowed"
                    )
                    reported = true
                }
                if byte == 0x0D || (byte == 0x0A && previous != 0x0D) { line += 1 }
                previous = byte
            }
        }
        return problems.total == before
    }

    private static func hex4(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16, uppercase: true)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }

    /// Maps header names to canonical columns; reports unknown, repeated and missing ones.
    private mutating func resolveHeader(_ header: CSVRecord) -> [String: Int]? {
        var columns: [String: Int] = [:]
        let spec = self.spec
        for (index, name) in header.fields.enumerated() {
            let normalised = DeckColumns.normalise(name)
            guard let canonical = spec.aliases[normalised] else {
                problems.add(line: header.line, column: name, "unknown column (expected: \(spec.canonical.joined(separator: ", ")))")
                continue
            }
            if columns[canonical] != nil {
                problems.add(line: header.line, column: name, "column \(canonical) appears twice")
                continue
            }
            columns[canonical] = index
        }
        for column in spec.required where columns[column] == nil {
            problems.add(line: header.line, column: column, "required column is missing")
        }
        if options.kind == .rates {
            if columns["product"] == nil, options.product == nil {
                problems.add(line: header.line, column: "product", "no product column: add one or give --product")
            }
            if columns["currency"] == nil, options.currency == nil {
                problems.add(line: header.line, column: "currency", "no currency column: add one or give --currency")
            }
            // A file of metered products only (it has a unit column) needs none of them.
            if columns["country"] == nil, columns["network"] == nil, columns["prefix"] == nil, columns["unit"] == nil {
                problems.add(line: header.line, column: "country", "one of the columns country, network or prefix is required")
            }
        }
        if options.kind == .carrier, options.currency == nil {
            // Said once, at the header: a carrier deck has no currency column to fall back on.
            problems.add(line: header.line, column: "currency", "a carrier deck has no currency column: give --currency")
        }
        if options.kind == .numbers || options.kind == .templates, columns["currency"] == nil, options.currency == nil {
            problems.add(line: header.line, column: "currency", "no currency column: add one or give --currency")
        }
        return problems.isEmpty ? columns : nil
    }
}

// MARK: Field readers shared by the row kinds

extension DeckParser {
    mutating func amount(_ row: DeckRecord, _ field: DeckColumn, required: Bool, default fallback: Amount? = nil) -> Amount? {
        let column = field.name
        guard let text = row[field] else {
            if required { problems.add(line: row.line, column: column, "missing value") }
            return fallback
        }
        do {
            let value = try Amount(parsing: text)
            guard !value.isNegative else {
                problems.add(line: row.line, column: column, "negative amount '\(text)'")
                return nil
            }
            return value
        } catch .tooManyDecimals {
            problems.add(line: row.line, column: column, "'\(text)' has more than \(Amount.scale) decimals")
        } catch .overflow {
            problems.add(line: row.line, column: column, "'\(text)' is too large")
        } catch {
            if Self.hasExponent(text) {
                problems.add(line: row.line, column: column, "'\(text)': exponents are not allowed; write the number in full")
            } else {
                problems.add(line: row.line, column: column, "'\(text)' is not a decimal number")
            }
        }
        return nil
    }

    /// `1e20`, `-2.5E-3`: what spreadsheets write for very large or small numbers. Said by
    /// name, because "not a decimal" leaves the user looking at what seems to be a number.
    static func hasExponent(_ text: String) -> Bool {
        var bytes = Substring(text).utf8[...]
        if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        guard let e = bytes.firstIndex(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) else { return false }
        let mantissa = bytes[..<e]
        var exponent = bytes[bytes.index(after: e)...]
        if let sign = exponent.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { exponent = exponent.dropFirst() }
        let isDigit = { (c: UInt8) in c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }
        return mantissa.contains(where: isDigit) && mantissa.allSatisfy { isDigit($0) || $0 == UInt8(ascii: ".") }
            && mantissa.count(where: { $0 == UInt8(ascii: ".") }) <= 1
            && !exponent.isEmpty && exponent.allSatisfy(isDigit)
    }

    mutating func currency(_ row: DeckRecord) -> CurrencyCode? {
        guard let text = row[.currency] else {
            if let fallback = options.currency { return fallback }
            problems.add(line: row.line, column: "currency", "missing value (or give --currency)")
            return nil
        }
        guard let code = reference.currencies.known(text) else {
            problems.add(line: row.line, column: "currency", "unknown currency '\(text)' (ISO 4217 code, e.g. EUR)")
            return nil
        }
        return code
    }

    mutating func effectiveFrom(_ row: DeckRecord) -> Instant? {
        guard let text = row[.effectiveFrom] else { return options.effectiveFrom ?? options.now }
        do { return try Instant(parsing: text) } catch {
            problems.add(line: row.line, column: "effective_from", "bad date: \(error)")
            return nil
        }
    }

    mutating func country(_ row: DeckRecord) -> (ok: Bool, value: String?) {
        guard let text = row[.country] else { return (true, nil) }
        guard let country = reference.country(text) else {
            problems.add(line: row.line, column: "country", "unknown country '\(text)' (ISO 3166-1 alpha-2, e.g. ES)")
            return (false, nil)
        }
        return (true, country.iso2)
    }

    mutating func prefix(_ row: DeckRecord) -> (ok: Bool, value: String?) {
        guard var text = row[.prefix] else { return (true, nil) }
        if text.hasPrefix("+") { text.removeFirst() }
        guard DigitKey(text) != nil else {
            problems.add(line: row.line, column: "prefix", "'\(text)' is not a number prefix (1 to 15 digits, no +)")
            return (false, nil)
        }
        return (true, text)
    }
}
