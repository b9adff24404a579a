import Testing

@testable import TariffCore

private typealias W = TestWorld

@Suite("CSVCell: cells a spreadsheet must not evaluate")
struct CSVCellTests {
    /// Cells an attacker (or an unlucky description) could put in a deck.
    static let hostile = [
        "=1+2", "+34", "-1", "@SUM(A1)", "'=x", "''", "'plain", "'", "'''", "'+34", "'-1", "'@x", "'\t", "'\r",
        "=HYPERLINK(\"http://evil.example\",\"click\")", "\"quoted\", with, commas", "=a,b", "+\"1\"",
        "\tindented", "\r=1", "=\n2", "-", "+", "@", "=", "#not a comment", "  spaced  ", "a,b", "plain", "a'b",
    ]

    @Test func formulaStartsGetOneQuote() {
        #expect(CSVCell.escaped("=1+2") == "'=1+2")
        #expect(CSVCell.escaped("+34") == "'+34")
        #expect(CSVCell.escaped("-1") == "'-1")
        #expect(CSVCell.escaped("@SUM(A1)") == "'@SUM(A1)")
        #expect(CSVCell.escaped("\tx") == "'\tx")
        #expect(CSVCell.escaped("\rx") == "\"'\rx\"")
        // Already looking escaped: one more quote, so reading takes exactly one off.
        #expect(CSVCell.escaped("'=x") == "''=x")
        #expect(CSVCell.escaped("''") == "'''")
        // Then RFC 4180 quoting as for any cell.
        #expect(CSVCell.escaped("=a,b") == "\"'=a,b\"")
        #expect(CSVCell.escaped("=\"x\"") == "\"'=\"\"x\"\"\"")
    }

    @Test func ordinaryCellsAreUntouched() {
        for text in [
            "0.05", "ES", "ES-FIXED", "Spain Mobile", "2026-01-01T00:00:00Z", "60/60", "sms-outbound", "a'b", "'plain", "'", "", "Côte d'Ivoire",
        ] {
            #expect(CSVCell.escaped(text) == text)
            #expect(CSVCell.unescaped(text) == text)
        }
        #expect(CSVCell.escaped("a,b") == "\"a,b\"")
        #expect(CSVCell.escaped("#x") == "\"#x\"")
        #expect(CSVCell.escaped(" x") == "\" x\"")
        #expect(CSVCell.escaped("say \"hi\"") == "\"say \"\"hi\"\"\"")
    }

    @Test func unescapingTakesOneQuoteOffEscapedCellsOnly() {
        #expect(CSVCell.unescaped("'=1") == "=1")
        #expect(CSVCell.unescaped("''") == "'")
        #expect(CSVCell.unescaped("'''") == "''")
        #expect(CSVCell.unescaped("'\t") == "\t")
        #expect(CSVCell.unescaped("'plain") == "'plain")
        #expect(CSVCell.unescaped("'") == "'")
        #expect(CSVCell.unescaped("=1") == "=1")
    }

    @Test(arguments: hostile + [""])
    func hostileCellRoundTripsThroughTheReader(text: String) throws {
        let escaped = CSVCell.escaped(text)
        #expect(!escaped.hasPrefix("=") && !escaped.hasPrefix("+") && !escaped.hasPrefix("-") && !escaped.hasPrefix("@"))
        var reader = CSVReader(string: "before,\(escaped),after\n")
        let record = try #require(try reader.next())
        #expect(record.fields.count == 3)
        #expect(record.fields.first == "before" && record.fields.last == "after")
        #expect(CSVCell.unescaped(record.fields[1]) == text)
    }

    @Test func hostileDescriptionsRoundTripThroughADeck() throws {
        // As `tariff export` writes a deck, and `tariff import` reads it back.
        let rows = Self.hostile.enumerated().map { index, text in
            ["sms-outbound", "34\(index)", "0.05", "EUR", text].map(CSVCell.escaped).joined(separator: ",")
        }
        let deck = try W.parse((["product,prefix,price,currency,description"] + rows).joined(separator: "\n") + "\n")
        #expect(deck.rates.map { $0.entry.terms?.description } == Self.hostile)
    }
}
