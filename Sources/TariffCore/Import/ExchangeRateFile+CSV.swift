extension ExchangeRateFile {
    /// Parses a CSV with the columns `date,base,quote,rate` (any order, names case-insensitive).
    public static func parseCSV(_ reader: inout CSVReader) throws(FXFileErrors) -> [ParsedRate] {
        try parseCSV(&reader, file: reader.path ?? "<memory>")
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
            throw FXFileErrors(
                file: file,
                problems: [
                    .problem(line: 1, message: "empty file: expected a header row \"date,base,quote,rate\"")
                ]
            )
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
                if error.line == nil { break }  // I/O failures do not go away on retry
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
        case .otherEncoding: .problem(line: 1, message: error.problem)
        case .fieldTooLong(let line, _), .recordTooLong(let line): .problem(line: line, message: error.problem)
        case .cannotOpen, .readFailed: .unreadable(reason: error.description)
        }
    }
}
