import TariffCore
import Testing

/// The splitter answers the same records however the bytes arrive, and reports what it cannot cut.
@Suite("JSON records cut from a stream")
struct JSONRecordSplitterTests {
    static func split(_ text: String, chunk: Int? = nil, max: Int = 16 * 1024) -> [JSONRecordSplitter.Piece] {
        var splitter = JSONRecordSplitter(maxRecordBytes: max)
        let bytes = Array(text.utf8)
        var pieces: [JSONRecordSplitter.Piece] = []
        let size = chunk ?? Swift.max(1, bytes.count)
        for start in stride(from: 0, to: bytes.count, by: size) { pieces += splitter.feed(bytes[start..<Swift.min(bytes.count, start + size)]) }
        return pieces + splitter.finish()
    }

    static func texts(_ pieces: [JSONRecordSplitter.Piece]) -> [String] {
        pieces.map { $0.problem.map { "! " + $0 } ?? String(decoding: $0.bytes, as: UTF8.self) }
    }

    static let inputs = [
        "{\"a\":1}\n\n{\"b\":\"x\\ny\"}\r\n  {\"c\":[1,2]}",
        "\n [ {\"a\":\"],[{\\\"\"} ,\n {\"b\":{\"c\":[1,{}]}}, 7 ]\n",
        "[{\"a\":1},]",
        "[{\"a\":1}",
        "[] trailing",
        "[]",
        "",
        "   \n ",
    ]

    @Test("byte by byte, in odd chunks or whole: the same pieces")
    func chunking() {
        for input in Self.inputs {
            let whole = Self.split(input)
            for chunk in [1, 2, 3, 7] { #expect(Self.split(input, chunk: chunk) == whole, "\(input) by \(chunk)") }
        }
    }

    @Test("a sequence that is not contiguous is read as one that is; a record of exactly the limit is kept, one byte more is not")
    func limits() {
        for input in Self.inputs {
            var splitter = JSONRecordSplitter()
            let pieces = splitter.feed(input.utf8.lazy.map { $0 }) + splitter.finish()
            #expect(pieces == Self.split(input), "\(input)")
        }
        let exact = "{\"p\":\"" + String(repeating: "x", count: 42) + "\"}"
        #expect(exact.utf8.count == 50)
        for chunk in [1, 7, 50, 51, 200] {
            #expect(
                Self.texts(Self.split(exact + "\n" + exact + "x\n{}", chunk: chunk, max: 50)) == [
                    exact, "! the record is longer than 50 bytes", "{}",
                ]
            )
        }
    }

    @Test("NDJSON: a record per non-blank line, numbered, with its line")
    func lines() {
        let pieces = Self.split(Self.inputs[0])
        #expect(Self.texts(pieces) == ["{\"a\":1}", "{\"b\":\"x\\ny\"}\r", "  {\"c\":[1,2]}"])
        #expect(pieces.map(\.ordinal) == [1, 2, 3])
        #expect(pieces.map(\.line) == [1, 3, 4])
    }

    @Test("an array: its elements, whatever strings and nesting they hold")
    func array() {
        let pieces = Self.split(Self.inputs[1])
        #expect(Self.texts(pieces) == ["{\"a\":\"],[{\\\"\"} ", "{\"b\":{\"c\":[1,{}]}}", "7 "])
        #expect(pieces.map(\.line) == [2, 3, 3])
    }

    @Test("what cannot be cut is a problem in its place, and the records around it still come")
    func problems() {
        #expect(Self.texts(Self.split(Self.inputs[2])) == ["{\"a\":1}", "! an empty element in the JSON array"])
        #expect(Self.texts(Self.split(Self.inputs[3])) == ["{\"a\":1}", "! the JSON array is not closed: the input ended inside it"])
        #expect(Self.texts(Self.split(Self.inputs[4])) == ["! unexpected text after the end of the JSON array"])
        #expect(Self.split(Self.inputs[5]).isEmpty && Self.split(Self.inputs[6]).isEmpty && Self.split(Self.inputs[7]).isEmpty)
        let long = "{\"pad\":\"" + String(repeating: "x", count: 100) + "\"}\n{\"a\":1}"
        let pieces = Self.split(long, chunk: 5, max: 50)
        #expect(Self.texts(pieces) == ["! the record is longer than 50 bytes", "{\"a\":1}"])
        #expect(pieces.map(\.ordinal) == [1, 2])
        #expect(pieces.map(\.line) == [1, 2])
    }
}

/// Usage records from a CSV row, and the checks every record gets whatever carried it.
@Suite("Usage records")
struct UsageRecordTests {
    static let now = Instant(secondsSince1970: 1_800_000_000)

    @Test("a CSV row by its header's names; an empty cell is absent; a non-number is refused")
    func csv() throws {
        var reader = CSVReader(string: "Occurred_At,ID,to,product,seconds,extra\n2026-11-20T10:00:00Z,c1,+34911234567,voice,61,z\n,c2,+1,voice,x,\n")
        let columns = try UsageFields.CSVColumns(header: CSVReader.Header(try #require(try reader.next())))
        let first = try UsageFields(csv: try #require(try reader.next()), columns: columns)
        #expect(first == UsageFields(id: "c1", product: "voice", to: "+34911234567", seconds: 61, occurredAt: "2026-11-20T10:00:00Z"))
        #expect(throws: UsageProblem.invalid("seconds: 'x' is not a whole number")) {
            try UsageFields(csv: try #require(try reader.next()), columns: columns)
        }
        #expect(throws: UsageProblem.self) { try UsageFields.CSVColumns(header: CSVReader.Header(CSVRecord(line: 1, fields: ["id", "to"]))) }
        #expect(throws: UsageProblem.self) {
            try UsageFields.CSVColumns(header: CSVReader.Header(CSVRecord(line: 1, fields: ["id", "to", "product", "occurred_at"])))
        }
    }

    @Test("the fingerprint is the record, not its spelling")
    func fingerprint() throws {
        let a = try UsageRecord(
            validating: UsageFields(id: "x", product: "voice", to: "+34911234567", from: "es", seconds: 5, occurredAt: "2026-11-20T10:00:00Z"),
            now: Self.now
        )
        let b = try UsageRecord(
            validating: UsageFields(
                id: "x",
                product: "voice-outbound",
                to: "0034911234567",
                from: "ES",
                seconds: 5,
                occurredAt: "2026-11-20T11:00:00+01:00"
            ),
            now: Self.now
        )
        let c = try UsageRecord(
            validating: UsageFields(id: "x", product: "voice", to: "+34911234567", from: "ES", seconds: 6, occurredAt: "2026-11-20T10:00:00Z"),
            now: Self.now
        )
        #expect(a.fingerprint == b.fingerprint)
        #expect(a.fingerprint != c.fingerprint)
    }
}
