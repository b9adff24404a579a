/// One cell of a CSV file that people will open in a spreadsheet.
///
/// A spreadsheet evaluates a cell that starts with `=`, `+`, `-` or `@` (and, in some, TAB or
/// CR before one) as a formula, so a description such as `=HYPERLINK(...)` written to a deck
/// would run on the reader's machine (OWASP "CSV Injection"). Such a cell is written with a
/// leading `'`, which spreadsheets take as "this is text". To keep the deck reversible, a cell
/// that already starts with `'` and one of those characters, or with `''`, gets one more `'`;
/// ``unescaped(_:)`` takes exactly one off again, so a deck re-imports to the same text.
public enum CSVCell {
    private static let apostrophe = UInt8(ascii: "'")

    /// The cell as a CSV field: protected from formula evaluation, then quoted per RFC 4180
    /// where needed (a comma, quote or line break; blanks at either end, which the reader
    /// trims; a leading `#`, which would read as a comment).
    public static func escaped(_ text: String) -> String {
        var cell = text
        if startsLikeFormula(text) || startsWithEscape(text) { cell = "'" + text }
        let needsQuotes =
            cell.utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
            || cell.utf8.first == UInt8(ascii: "#")
            || mayBeWhitespace(cell.utf8.first) && cell.unicodeScalars.first?.properties.isWhitespace == true
            || mayBeWhitespace(cell.utf8.last) && cell.unicodeScalars.last?.properties.isWhitespace == true
        guard needsQuotes else { return cell }
        var quoted = "\""
        for c in cell {
            if c == "\"" { quoted += "\"\"" } else { quoted.append(c) }
        }
        return quoted + "\""
    }

    /// The text of a cell read from a deck: one leading `'` taken off where ``escaped(_:)``
    /// would have put it; every other cell as it is.
    public static func unescaped(_ cell: String) -> String {
        var bytes = cell.utf8.makeIterator()
        guard let first = bytes.next(), let second = bytes.next(), isEscape(first, second) else { return cell }
        // Only an ASCII byte goes, so the rest is still valid UTF-8.
        return String(decoding: cell.utf8.dropFirst(), as: UTF8.self)
    }

    /// Whether a cell starting with these two bytes carries the `'` of ``escaped(_:)``; for
    /// readers that look at bytes before they make strings.
    static func isEscape(_ first: UInt8, _ second: UInt8) -> Bool {
        first == apostrophe && (isFormulaStart(second) || second == apostrophe)
    }

    private static func isFormulaStart(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D: true
        default: false
        }
    }

    /// Printable ASCII is never whitespace; anything else is asked of Unicode (an export
    /// writes millions of cells, and most end in a letter or a digit).
    private static func mayBeWhitespace(_ byte: UInt8?) -> Bool {
        guard let byte else { return false }
        return byte <= 0x20 || byte >= 0x7F
    }

    private static func startsLikeFormula(_ text: String) -> Bool {
        text.utf8.first.map(isFormulaStart) ?? false
    }

    /// Text that reads as an escaped cell, so it needs its own `'` to survive ``unescaped(_:)``.
    private static func startsWithEscape(_ text: String) -> Bool {
        text.utf8.first == apostrophe && (text.utf8.dropFirst().first.map { isFormulaStart($0) || $0 == apostrophe } ?? false)
    }
}
