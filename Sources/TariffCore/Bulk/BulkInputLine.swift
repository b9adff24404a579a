/// Reads the number out of one line of a bulk request.
enum BulkInputLine {
    struct Problem: Error, Sendable {
        let message: String
    }

    /// The column of a CSV header line that holds the numbers; nil when the line is not a
    /// header (its cell already reads as a number, or it names no number column).
    static func headerColumn(_ line: UnsafeRawBufferPointer, names: Set<String>) -> Int? {
        guard case .success(let cells) = csvCells(line) else { return nil }
        if cells.count == 1, (try? PhoneNumber(parsing: cells[0])) != nil { return nil }
        return cells.firstIndex { names.contains($0.lowercased()) }
    }

    /// Cell `column` of a CSV line.
    static func numberFromCSV(_ line: UnsafeRawBufferPointer, column: Int) -> Result<String, Problem> {
        // The usual file: one number per line, no quotes, no commas.
        if column == 0, !line.contains(UInt8(ascii: ",")), !line.contains(UInt8(ascii: "\"")) {
            return .success(String(decoding: line, as: UTF8.self))
        }
        switch csvCells(line) {
        case .failure(let problem): return .failure(problem)
        case .success(let cells):
            guard column < cells.count else {
                return .failure(Problem(message: "no number: the line has \(cells.count) columns, the numbers are in column \(column + 1)"))
            }
            return .success(CSVCell.unescaped(cells[column]))
        }
    }

    /// The `number` (or `to`) member of a JSON object written plainly: ASCII strings without
    /// escapes, other members any scalar.
    static func numberFromJSON(_ line: UnsafeRawBufferPointer) -> Result<String, Problem> {
        var reader = PlainJSONReader(bytes: line)
        var number: String?
        let malformed = Problem(message: "not a JSON object of plain members, such as {\"number\":\"+34612345678\"}")
        guard reader.take(UInt8(ascii: "{")) else { return .failure(malformed) }
        reader.skipBlanks()
        if !reader.take(UInt8(ascii: "}")) {
            repeat {
                reader.skipBlanks()
                guard let name = reader.string() else { return .failure(malformed) }
                reader.skipBlanks()
                guard reader.take(UInt8(ascii: ":")) else { return .failure(malformed) }
                reader.skipBlanks()
                if name == "number" || name == "to" {
                    guard number == nil, let text = reader.string() else {
                        return .failure(Problem(message: "\(name): one string of ASCII text without escapes, such as \"+34612345678\""))
                    }
                    number = text
                } else {
                    guard reader.skipScalar() else { return .failure(malformed) }
                }
                reader.skipBlanks()
            } while reader.take(UInt8(ascii: ","))
            guard reader.take(UInt8(ascii: "}")) else { return .failure(malformed) }
        }
        reader.skipBlanks()
        guard reader.atEnd else { return .failure(malformed) }
        guard let number else { return .failure(Problem(message: "no number: give it as {\"number\":\"+34612345678\"}")) }
        return .success(number)
    }

    /// RFC 4180 cells of one line (a quoted cell may hold commas and doubled quotes, not line breaks).
    static func csvCells(_ line: UnsafeRawBufferPointer) -> Result<[String], Problem> {
        var cells: [String] = []
        var index = 0
        let quote = UInt8(ascii: "\"")
        let comma = UInt8(ascii: ",")
        while true {
            var cell: [UInt8] = []
            if index < line.count, line[index] == quote {
                index += 1
                while true {
                    guard index < line.count else { return .failure(Problem(message: "a quoted cell is not closed on its line")) }
                    if line[index] == quote {
                        if index + 1 < line.count, line[index + 1] == quote {
                            cell.append(quote)
                            index += 2
                            continue
                        }
                        index += 1
                        break
                    }
                    cell.append(line[index])
                    index += 1
                }
                guard index == line.count || line[index] == comma else {
                    return .failure(Problem(message: "text after a quoted cell's closing quote"))
                }
            } else {
                while index < line.count, line[index] != comma {
                    cell.append(line[index])
                    index += 1
                }
            }
            cells.append(cell.withUnsafeBytes { String(decoding: BulkPricing.trimmed($0), as: UTF8.self) })
            guard index < line.count else { return .success(cells) }
            index += 1  // the comma
        }
    }
}

extension PlainJSONReader {
    /// Steps over one scalar: a plain string, a number, true, false or null.
    mutating func skipScalar() -> Bool {
        let mark = at
        if string() != nil { return true }
        // A string this reader cannot read (an escape, non-ASCII text) is not skipped either.
        guard at == mark else { return false }
        for word in ["true", "false", "null"] where matches(word) { return true }
        let start = at
        while at < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[at]) || [0x2B, 0x2D, 0x2E, 0x45, 0x65].contains(bytes[at]) {
            at += 1
        }
        return at > start
    }

    private mutating func matches(_ word: String) -> Bool {
        let utf8 = Array(word.utf8)
        guard at + utf8.count <= bytes.count, zip(utf8, bytes[at..<(at + utf8.count)]).allSatisfy({ $0 == $1 }) else { return false }
        at += utf8.count
        return true
    }
}
