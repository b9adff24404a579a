import Foundation
import Testing

@testable import TariffCore

@Suite("CSVReader")
struct CSVReaderTests {
    /// Reads every record, stopping at the first error.
    private func records(_ reader: inout CSVReader) throws(CSVError) -> [CSVRecord] {
        var out: [CSVRecord] = []
        while let record = try reader.next() { out.append(record) }
        return out
    }

    private func records(_ text: String) throws(CSVError) -> [CSVRecord] {
        var reader = CSVReader(string: text)
        return try records(&reader)
    }

    /// Reads to the end, collecting records and errors alike (the reader resumes after errors).
    private func outcomes(_ text: String) -> [Result<CSVRecord, CSVError>] {
        var reader = CSVReader(string: text)
        return outcomes(reading: &reader)
    }

    /// Reads `reader` to the end, collecting records and errors alike.
    private func outcomes(reading reader: inout CSVReader) -> [Result<CSVRecord, CSVError>] {
        var out: [Result<CSVRecord, CSVError>] = []
        while true {
            do throws(CSVError) {
                guard let record = try reader.next() else { return out }
                out.append(.success(record))
            } catch {
                out.append(.failure(error))
            }
        }
    }

    /// `text` in UTF-16, as Windows tools and Excel's "Unicode text" write it.
    static func utf16(_ text: String, bigEndian: Bool = false, bom: Bool = true) -> [UInt8] {
        let units = (bom ? [0xFEFF] : []) + Array(text.utf16)
        return units.flatMap { bigEndian ? [UInt8($0 >> 8), UInt8($0 & 0xFF)] : [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
    }

    private func rec(_ line: Int, _ fields: String...) -> CSVRecord {
        CSVRecord(line: line, fields: fields)
    }

    private func temporaryFile(_ bytes: [UInt8]) throws -> String {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("csvreader-\(UUID().uuidString).csv")
        try Data(bytes).write(to: url)
        return url.path
    }

    @Test func simpleRecordsWithLineNumbers() throws {
        let got = try records("prefix,rate\n44,0.01\n33,0.02\n")
        #expect(got == [rec(1, "prefix", "rate"), rec(2, "44", "0.01"), rec(3, "33", "0.02")])
    }

    @Test func finalLineWithoutNewlineAndEmptyFields() throws {
        let got = try records("a,,c\n,\nx,y,")
        #expect(got == [rec(1, "a", "", "c"), rec(2, "", ""), rec(3, "x", "y", "")])
    }

    @Test func emptyAndCommentOnlyInputs() throws {
        #expect(try records("") == [])
        #expect(try records("\n\n  \n") == [])
        #expect(try records("# only a notice\n# and more") == [])
    }

    @Test func lineEndingsLFCRLFAndCR() throws {
        let expected = [rec(1, "a", "b"), rec(2, "c", "d"), rec(3, "e", "f")]
        #expect(try records("a,b\nc,d\ne,f\n") == expected)
        #expect(try records("a,b\r\nc,d\r\ne,f\r\n") == expected)
        #expect(try records("a,b\rc,d\re,f") == expected)
        #expect(try records("a,b\r\n\r\nc,d\n") == [rec(1, "a", "b"), rec(3, "c", "d")])
    }

    @Test func byteOrderMarkIsIgnored() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("Prefix,Rate\n1,2\n".utf8)
        var reader = CSVReader(bytes: bytes)
        #expect(try records(&reader) == [rec(1, "Prefix", "Rate"), rec(2, "1", "2")])
        // Only at the very start: elsewhere it is data.
        var later = CSVReader(bytes: Array("a\n".utf8) + [0xEF, 0xBB, 0xBF] + Array("b\n".utf8))
        #expect(try records(&later) == [rec(1, "a"), rec(2, "\u{FEFF}b")])
    }

    @Test func unquotedFieldsAreTrimmedQuotedKept() throws {
        let got = try records("  a b ,\tc\t, \" d \" ,\"\"\n")
        #expect(got == [rec(1, "a b", "c", " d ", "")])
    }

    @Test func quotedCommasEscapesAndNewlines() throws {
        let text = "id,desc\n1,\"Mobile, Vodafone\"\n2,\"say \"\"hi\"\"\"\n3,\"two\nlines\r\nthree\"\n4,after\n"
        let got = try records(text)
        #expect(
            got == [
                rec(1, "id", "desc"),
                rec(2, "1", "Mobile, Vodafone"),
                rec(3, "2", "say \"hi\""),
                rec(4, "3", "two\nlines\r\nthree"),
                rec(7, "4", "after"),
            ]
        )
    }

    @Test func commentsAndBlankLinesAnywhere() throws {
        let text = """
            # Carrier notice: rates change on 2026-12-01
            #   contact noc@example.net

            prefix,rate
              # indented comment
            44,0.01
            \t
            45,#not a comment
            "#quoted",1
            # trailing notice
            """
        let got = try records(text)
        #expect(
            got == [
                rec(4, "prefix", "rate"),
                rec(6, "44", "0.01"),
                rec(8, "45", "#not a comment"),
                rec(9, "#quoted", "1"),
            ]
        )
    }

    @Test func nonASCIIText() throws {
        let got = try records("country,desc\nCôte d'Ivoire,\"Mobile – Orange\"\n日本,モバイル\n")
        #expect(got[1] == rec(2, "Côte d'Ivoire", "Mobile – Orange"))
        #expect(got[2] == rec(3, "日本", "モバイル"))
    }

    @Test func invalidUTF8ReportsItsLine() {
        var unquoted = CSVReader(bytes: Array("a,b\nc,".utf8) + [0xFF] + Array("\ne,f\n".utf8))
        #expect(throws: CSVError.notUTF8(line: 2)) { _ = try records(&unquoted) }
        // Inside a multi-line quoted field: the line of the bad byte, not of the record.
        let bytes = Array("a,\"x\ny\n".utf8) + [0xC3, 0x28] + Array("\"\n".utf8)
        var quoted = CSVReader(bytes: bytes)
        #expect(throws: CSVError.notUTF8(line: 3)) { _ = try records(&quoted) }
        // An escaped quoted field goes through the unescape path.
        var escaped = CSVReader(bytes: Array("\"\"\"".utf8) + [0xE2, 0x82] + Array("\"\n".utf8))
        #expect(throws: CSVError.notUTF8(line: 1)) { _ = try records(&escaped) }
    }

    @Test func invalidUTF8InCommentsIsTolerated() throws {
        var reader = CSVReader(bytes: Array("# Tarif ".utf8) + [0xE9] + Array("t\u{E9}\na,b\n".utf8))
        #expect(try records(&reader) == [rec(2, "a", "b")])
    }

    @Test func unterminatedQuote() {
        #expect(throws: CSVError.unterminatedQuote(line: 2)) { _ = try records("a,b\nc,\"open\nmore\n") }
    }

    @Test func unexpectedQuotes() {
        #expect(throws: CSVError.unexpectedQuote(line: 1)) { _ = try records("ab\"c,d\n") }
        #expect(throws: CSVError.unexpectedQuote(line: 2)) { _ = try records("x\n\"ab\"c,d\n") }
        #expect(throws: CSVError.unexpectedQuote(line: 1)) { _ = try records("\"ab\" c\n") }
        // A multi-line field: the error is on the line of the stray text.
        #expect(throws: CSVError.unexpectedQuote(line: 3)) { _ = try records("\"a\n\nb\"x\n") }
    }

    @Test func readerResumesAfterErrors() {
        let got = outcomes("a,b\nc\"d,e\nf,g\n\"h\"i\nj,k\n\"open\n")
        #expect(
            got == [
                .success(rec(1, "a", "b")),
                .failure(.unexpectedQuote(line: 2)),
                .success(rec(3, "f", "g")),
                .failure(.unexpectedQuote(line: 4)),
                .success(rec(5, "j", "k")),
                .failure(.unterminatedQuote(line: 6)),
            ]
        )
    }

    /// A mix of every construct, to be split at every possible place.
    private static let tricky: [UInt8] =
        [0xEF, 0xBB, 0xBF]
        + Array(
            """
            # notice\r
            Prefix , Country,"Desc"\r
            \r
            44,"United Kingdom","Mobile, ""EE""\r
            second line"\r
              # comment\r
            49,Deutschland,  Festnetz  \r
            81,日本,"携帯
            "\r
            "",,\r
            1,"x" ,  "y"\r
            last,line,no newline
            """.utf8
        )

    private static let trickyRecords = [
        CSVRecord(line: 2, fields: ["Prefix", "Country", "Desc"]),
        CSVRecord(line: 4, fields: ["44", "United Kingdom", "Mobile, \"EE\"\r\nsecond line"]),
        CSVRecord(line: 7, fields: ["49", "Deutschland", "Festnetz"]),
        CSVRecord(line: 8, fields: ["81", "日本", "携帯\n"]),
        CSVRecord(line: 10, fields: ["", "", ""]),
        CSVRecord(line: 11, fields: ["1", "x", "y"]),
        CSVRecord(line: 12, fields: ["last", "line", "no newline"]),
    ]

    @Test func trickyInputInOneBuffer() throws {
        var reader = CSVReader(bytes: Self.tricky)
        #expect(try records(&reader) == Self.trickyRecords)
    }

    @Test(arguments: [1, 2, 3, 7])
    func chunkBoundariesGiveIdenticalRecords(chunkSize: Int) throws {
        var reader = CSVReader(bytes: Self.tricky, chunkSize: chunkSize)
        #expect(try records(&reader) == Self.trickyRecords)
        #expect(reader.bytesRead == Self.tricky.count)
    }

    @Test(arguments: [1, 2, 3, 7])
    func chunkBoundariesKeepErrorLines(chunkSize: Int) {
        let bytes = Array("a,b\r\n\"x\r\ny\"z\r\nc,\"d\r\n".utf8)
        var reader = CSVReader(bytes: bytes, chunkSize: chunkSize)
        var got: [Result<CSVRecord, CSVError>] = []
        while true {
            do throws(CSVError) {
                guard let record = try reader.next() else { break }
                got.append(.success(record))
            } catch {
                got.append(.failure(error))
            }
        }
        #expect(got == [.success(rec(1, "a", "b")), .failure(.unexpectedQuote(line: 3)), .failure(.unterminatedQuote(line: 4))])
    }

    @Test(arguments: [1, 3, 7, 1 << 20])
    func readsFilesInChunks(chunkSize: Int) throws {
        let path = try temporaryFile(Self.tricky)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var reader = try CSVReader(path: path, chunkSize: chunkSize)
        #expect(reader.totalBytes == Self.tricky.count)
        #expect(reader.path == path)
        #expect(try records(&reader) == Self.trickyRecords)
        #expect(reader.bytesRead == Self.tricky.count)
    }

    @Test func progressAdvancesPerRecord() throws {
        let path = try temporaryFile(Array("a,b\ncc,dd\n".utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        var reader = try CSVReader(path: path)
        #expect(reader.bytesRead == 0)
        _ = try reader.next()
        #expect(reader.bytesRead == 4)
        _ = try reader.next()
        #expect(reader.bytesRead == 10)
        #expect(try reader.next() == nil)
    }

    @Test func missingFileAndDirectoryCannotOpen() {
        let missing = "/nonexistent/\(UUID().uuidString).csv"
        #expect(throws: CSVError.cannotOpen(path: missing, reason: "No such file or directory")) {
            _ = try CSVReader(path: missing)
        }
        let directory = FileManager.default.temporaryDirectory.path
        #expect(throws: CSVError.cannotOpen(path: directory, reason: "is a directory")) {
            _ = try CSVReader(path: directory)
        }
    }

    @Test func copiesReadIndependently() throws {
        let path = try temporaryFile(Array("1\n2\n3\n".utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        var first = try CSVReader(path: path, chunkSize: 2)
        _ = try first.next()
        var second = first
        #expect(try records(&first).map(\.fields) == [["2"], ["3"]])
        #expect(try records(&second).map(\.fields) == [["2"], ["3"]])
    }

    // MARK: Encodings and bounds

    @Test func utf16AndUTF32AreNamedNotParsed() {
        let text = "prefix,rate\n44,0.01\n"
        let inputs: [(encoding: String, bytes: [UInt8])] = [
            ("UTF-16", Self.utf16(text)),
            ("UTF-16", Self.utf16(text, bigEndian: true)),
            ("UTF-16", Self.utf16(text, bom: false)),
            ("UTF-16", Self.utf16(text, bigEndian: true, bom: false)),
            ("UTF-32", [0xFF, 0xFE, 0, 0] + text.unicodeScalars.flatMap { [UInt8($0.value), 0, 0, 0] }),
            ("UTF-32", text.unicodeScalars.flatMap { [0, 0, 0, UInt8($0.value)] }),
        ]
        for input in inputs {
            for chunkSize in [1, 1 << 20] {
                var reader = CSVReader(bytes: input.bytes, chunkSize: chunkSize)
                #expect(outcomes(reading: &reader) == [.failure(.otherEncoding(input.encoding))])
            }
        }
        #expect(CSVError.otherEncoding("UTF-16").description == "line 1: the file is UTF-16; save it as UTF-8")
    }

    @Test func utf8WithNULsOrNonASCIIIsNotMistakenForUTF16() throws {
        #expect(try records("a\u{0}b,c\n") == [rec(1, "a\u{0}b", "c")])
        #expect(try records("ĀĀ,Ā\n") == [rec(1, "ĀĀ", "Ā")])
        var chunked = CSVReader(bytes: [0xEF, 0xBB, 0xBF] + Array("Prefix,Rate\n1,2\n".utf8), chunkSize: 1)
        #expect(try records(&chunked) == [rec(1, "Prefix", "Rate"), rec(2, "1", "2")])
    }

    @Test(arguments: [1, 7, 1 << 20])
    func fieldOverTheLimitIsRefusedAndSkipped(chunkSize: Int) {
        let long = String(repeating: "x", count: 4097)
        let atLimit = String(repeating: "y", count: 4096)
        // Over the limit and over 3000 lines: the reader resumes after the field, not inside it.
        let quoted = "\"" + String(repeating: "z\n", count: 3000) + "\""
        let text = "a,b\n\(long),c\nd,\(atLimit)\n\(quoted),e\nf,g\n"
        var reader = CSVReader(bytes: Array(text.utf8), chunkSize: chunkSize)
        #expect(
            outcomes(reading: &reader) == [
                .success(rec(1, "a", "b")),
                .failure(.fieldTooLong(line: 2, field: 1)),
                .success(rec(3, "d", atLimit)),
                .failure(.fieldTooLong(line: 4, field: 1)),
                .success(rec(3005, "f", "g")),
            ]
        )
        #expect(CSVError.fieldTooLong(line: 2, field: 1).description == "line 2: field 1 is longer than 4096 bytes")
    }

    @Test func escapedQuotesCountOnceTowardsTheLimit() throws {
        let content = String(repeating: "\"", count: 4096)
        let field = "\"" + String(repeating: "\"\"", count: 4096) + "\""
        #expect(try records("x,\(field)\n") == [rec(1, "x", content)])
        #expect(throws: CSVError.fieldTooLong(line: 1, field: 2)) { _ = try records("x,\"\(String(repeating: "\"\"", count: 4097))\"\n") }
    }

    @Test(arguments: [7, 1 << 20])
    func recordOverTheLimitIsRefused(chunkSize: Int) {
        let wide = Array(repeating: "1", count: CSVReader.maxRecordBytes / 2 + 1).joined(separator: ",")
        var reader = CSVReader(bytes: Array("\(wide)\nf,g\n".utf8), chunkSize: chunkSize)
        #expect(outcomes(reading: &reader) == [.failure(.recordTooLong(line: 1)), .success(rec(2, "f", "g"))])
    }

    @Test func giantFieldsAndLinesAreNotBuffered() {
        let chunk = 4096
        let giant = 1 << 20
        let bytes =
            Array("a,b\n".utf8) + Array(repeating: UInt8(ascii: "x"), count: giant) + Array(",c\n\"".utf8)
            + Array(repeating: UInt8(ascii: "y"), count: giant) + Array("\"\n".utf8)
            + Array(repeating: UInt8(ascii: " "), count: giant) + Array("\n".utf8)
            + Array(repeating: UInt8(ascii: ","), count: giant) + Array("\nd,e\n".utf8)
        var reader = CSVReader(bytes: bytes, chunkSize: chunk)
        #expect(
            outcomes(reading: &reader) == [
                .success(rec(1, "a", "b")),
                .failure(.fieldTooLong(line: 2, field: 1)),
                .failure(.fieldTooLong(line: 3, field: 1)),
                .failure(.recordTooLong(line: 5)),
                .success(rec(6, "d", "e")),
            ]
        )
        #expect(reader.peakBufferedBytes < CSVReader.maxRecordBytes + 2 * chunk)
        #expect(reader.bytesRead == bytes.count)
    }

    @Test func recordsWithControlBytesAreFlagged() throws {
        // First byte of a field, inside an unquoted field, inside a quoted one, a quoted line
        // break; then records with only TAB, and a CRLF line end, which are not flagged.
        let text = "a,\u{1}b\nc,d\u{0}\n\"e\u{1B}\",f\n\"g\nh\",i\nj\tk,\"l\tm\"\r\n\tn,o\r\n"
        var reader = CSVReader(string: text)
        var flags: [Bool] = []
        while try reader.next() != nil { flags.append(reader.lastRecordHasControlBytes) }
        #expect(flags == [true, true, true, true, false, false])
    }

    @Test func headerLookupIsCaseInsensitive() throws {
        var reader = CSVReader(string: " Prefix ,\"RATE \",Effective Date\n")
        let header = CSVReader.Header(try #require(try reader.next()))
        #expect(header.names == ["prefix", "rate", "effective date"])
        #expect(header.index(of: "rate") == 1)
        #expect(header.index(of: "Effective date") == 2)
        #expect(header.index(of: "currency") == nil)
    }
}
