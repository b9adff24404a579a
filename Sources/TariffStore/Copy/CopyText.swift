import SQLiteNIO

/// Rows in the text format of PostgreSQL's `COPY`: tab between columns, `\N` for NULL, and
/// backslash, tab, newline and carriage return escaped in text.
enum CopyText {
    struct Line: Sendable {
        let rowid: Int64
        let text: String
    }

    /// `row` holds the rowid first, then `columns` in order.
    static func line(_ row: SQLiteRow, table: String, columns: [String]) throws -> Line {
        let cells = row.columns
        guard let first = cells.first, case .integer(let rowid) = first.data else {
            throw CopyFailure.verificationFailed("a row of \(table) was read without its rowid")
        }
        var text = ""
        for (index, cell) in cells.dropFirst().enumerated() {
            if index > 0 { text.append("\t") }
            switch cell.data {
            case .null: text += "\\N"
            case .integer(let value): text += String(value)
            case .float(let value): text += String(value)
            case .text(let value): appendEscaped(value, to: &text)
            case .blob: throw CopyFailure.unsupportedValue(table: table, column: columns[index])
            }
        }
        text.append("\n")
        return Line(rowid: Int64(rowid), text: text)
    }

    static func appendEscaped(_ value: String, to text: inout String) {
        // Most cells need nothing: one pass over the bytes decides.
        guard value.utf8.contains(where: { $0 == 0x5C || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) else {
            text += value
            return
        }
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            default: text.unicodeScalars.append(scalar)
            }
        }
    }
}
