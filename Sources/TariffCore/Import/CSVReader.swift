#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One logical CSV record.
public struct CSVRecord: Sendable, Equatable {
    /// 1-based physical line where the record starts.
    public let line: Int
    /// Field values: quotes removed, `""` unescaped; unquoted fields are trimmed of
    /// surrounding spaces and tabs, quoted content is kept as is.
    public let fields: [String]

    /// Makes a record; mostly for tests and callers that synthesize rows.
    public init(line: Int, fields: [String]) {
        self.line = line
        self.fields = fields
    }
}

/// Why a CSV input could not be read.
public enum CSVError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A field holds bytes that are not UTF-8; `line` is where the first bad byte is.
    case notUTF8(line: Int)
    /// The input ends inside a quoted field that starts on `line`.
    case unterminatedQuote(line: Int)
    /// A quote inside an unquoted field, or text after a closing quote.
    case unexpectedQuote(line: Int)
    /// The file does not exist, is not readable, or is a directory.
    case cannotOpen(path: String, reason: String)
    /// An I/O error while reading an open file.
    case readFailed(path: String, reason: String)

    /// The line a syntax error refers to; nil for I/O errors.
    public var line: Int? {
        switch self {
        case .notUTF8(let line), .unterminatedQuote(let line), .unexpectedQuote(let line): line
        case .cannotOpen, .readFailed: nil
        }
    }

    /// A one-line message for logs and CLI output.
    /// What is wrong, without the line (for messages that give it as `FILE:LINE:`).
    public var problem: String {
        switch self {
        case .notUTF8: "not UTF-8 (save the file as UTF-8)"
        case .unterminatedQuote: "quoted field is never closed"
        case .unexpectedQuote: "unexpected quote (a quote inside an unquoted field, or text after a closing quote)"
        case .cannotOpen, .readFailed: description
        }
    }

    public var description: String {
        switch self {
        case .notUTF8(let line): "line \(line): invalid UTF-8"
        case .unterminatedQuote(let line): "line \(line): quoted field is never closed"
        case .unexpectedQuote(let line): "line \(line): unexpected quote (a quote inside an unquoted field, or text after a closing quote)"
        case .cannotOpen(let path, let reason): "cannot open \(path): \(reason)"
        case .readFailed(let path, let reason): "cannot read \(path): \(reason)"
        }
    }
}

/// A streaming RFC 4180 reader for rate decks and similar files.
///
/// Files are read in chunks, so memory stays proportional to the longest record,
/// not the file. Lines whose first non-blank character is `#` (at the start of a
/// record) are comments; blank lines are skipped; a leading UTF-8 BOM is ignored;
/// LF, CRLF and lone CR all end a line.
///
/// After a syntax error is thrown, `next()` resumes at the following physical line,
/// so a caller can collect every problem in one pass.
///
/// Copies are independent: file reads are positional (`pread`) for regular files.
public struct CSVReader: Sendable {
    static let defaultChunkSize = 1 << 20

    /// The file being read, nil for in-memory input.
    public let path: String?
    /// Total input size when known (regular files and in-memory input).
    public let totalBytes: Int?
    /// Input bytes consumed by the records returned so far; for a progress bar.
    public var bytesRead: Int { bufferBase + scanner.recordStart }

    private let file: CSVFileInput?
    /// In-memory input fed through `buffer` in chunks (tests of chunk boundaries).
    private let pending: [UInt8]
    private let chunkSize: Int
    private var readOffset = 0
    private var buffer: [UInt8]
    /// Input offset of `buffer[0]`.
    private var bufferBase = 0
    private var eof: Bool
    private var bomChecked = false
    private var scanner = CSVScanner()

    /// Opens a file for streaming.
    public init(path: String) throws(CSVError) {
        try self.init(path: path, chunkSize: Self.defaultChunkSize)
    }

    /// Reads from memory.
    public init(bytes: [UInt8]) {
        self.path = nil
        self.totalBytes = bytes.count
        self.file = nil
        self.pending = []
        self.chunkSize = Self.defaultChunkSize
        self.buffer = bytes
        self.eof = true
    }

    /// Reads the UTF-8 form of a string.
    public init(string: String) {
        self.init(bytes: Array(string.utf8))
    }

    init(path: String, chunkSize: Int) throws(CSVError) {
        let file = try CSVFileInput(path: path)
        self.path = path
        self.totalBytes = file.size
        self.file = file
        self.pending = []
        self.chunkSize = max(1, chunkSize)
        self.buffer = []
        self.buffer.reserveCapacity(self.chunkSize)
        self.eof = false
    }

    /// In-memory input delivered `chunkSize` bytes at a time, as a file would be.
    init(bytes: [UInt8], chunkSize: Int) {
        self.path = nil
        self.totalBytes = bytes.count
        self.file = nil
        self.pending = bytes
        self.chunkSize = max(1, chunkSize)
        self.buffer = []
        self.eof = false
    }

    /// Next record, nil at end. Comment lines and blank lines are skipped.
    public mutating func next() throws(CSVError) -> CSVRecord? {
        if !bomChecked { try skipBOM() }
        while true {
            let isEOF = eof
            let outcome = try buffer.withUnsafeBufferPointer { b throws(CSVError) in
                try scanner.scan(b, eof: isEOF)
            }
            switch outcome {
            case .record:
                return try buffer.withUnsafeBufferPointer { b throws(CSVError) in
                    try scanner.takeRecord(b)
                }
            case .end:
                return nil
            case .needMore:
                try refill()
            }
        }
    }

    private mutating func skipBOM() throws(CSVError) {
        while buffer.count < 3 && !eof { try refill() }
        if buffer.count >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF {
            scanner.pos = 3
            scanner.recordStart = 3
        }
        bomChecked = true
    }

    /// Drops bytes of finished records, then appends the next chunk.
    private mutating func refill() throws(CSVError) {
        let drop = scanner.recordStart
        if drop > 0 {
            if drop == buffer.count {
                buffer.removeAll(keepingCapacity: true)
            } else {
                buffer.removeSubrange(0..<drop)
            }
            bufferBase += drop
            scanner.shift(by: drop)
        }
        let got: Int
        if let file {
            got = try file.readChunk(appendingTo: &buffer, at: readOffset, count: chunkSize)
        } else {
            let end = min(readOffset + chunkSize, pending.count)
            buffer.append(contentsOf: pending[readOffset..<end])
            got = end - readOffset
        }
        readOffset += got
        if got == 0 { eof = true }
    }

    /// Reads a whole file into memory; for small inputs such as exchange-rate files.
    static func readAll(path: String) throws(CSVError) -> [UInt8] {
        let file = try CSVFileInput(path: path)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(file.size ?? defaultChunkSize)
        while true {
            let got = try file.readChunk(appendingTo: &bytes, at: bytes.count, count: defaultChunkSize)
            if got == 0 { return bytes }
        }
    }
}

extension CSVReader {
    /// Column lookup by header name: case-insensitive, surrounding blanks ignored.
    public struct Header: Sendable, Equatable {
        /// Normalized (trimmed, lowercased) names in file order.
        public let names: [String]
        /// 1-based line of the header record.
        public let line: Int

        public init(_ record: CSVRecord) {
            self.line = record.line
            self.names = record.fields.map { Self.normalize($0) }
        }

        /// Index of the first column with this name, if any.
        public func index(of name: String) -> Int? {
            names.firstIndex(of: Self.normalize(name))
        }

        static func normalize(_ name: String) -> String {
            // Quoted header cells keep their blanks, so trim here too.
            String(name.drop(while: { $0 == " " || $0 == "\t" })
                .reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
                .lowercased()
        }
    }
}

/// An open file. A class so the descriptor is closed exactly once, when the last
/// reader copy goes away; immutable, so safe to share.
final class CSVFileInput: Sendable {
    let path: String
    let fd: Int32
    /// Size of a regular file; nil for pipes and devices.
    let size: Int?
    /// Pipes cannot `pread`; they are read sequentially instead.
    let seekable: Bool

    init(path: String) throws(CSVError) {
        let fd = path.withCString { open($0, O_RDONLY | O_CLOEXEC) }
        if fd < 0 { throw .cannotOpen(path: path, reason: Self.lastError()) }
        var info = stat()
        if fstat(fd, &info) != 0 {
            let reason = Self.lastError()
            close(fd)
            throw .cannotOpen(path: path, reason: reason)
        }
        let kind = info.st_mode & S_IFMT
        if kind == S_IFDIR {
            close(fd)
            throw .cannotOpen(path: path, reason: "is a directory")
        }
        self.path = path
        self.fd = fd
        self.seekable = kind == S_IFREG
        self.size = seekable ? Int(info.st_size) : nil
    }

    deinit { close(fd) }

    /// Appends up to `count` bytes read at `offset`; returns how many (0 at end).
    func readChunk(appendingTo buffer: inout [UInt8], at offset: Int, count: Int) throws(CSVError) -> Int {
        let old = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: count))
        var got = -1
        while true {
            got = buffer.withUnsafeMutableBufferPointer { whole -> Int in
                guard let base = whole.baseAddress else { return 0 }
                let target = UnsafeMutableRawPointer(base + old)
                return seekable
                    ? pread(fd, target, count, off_t(offset))
                    : read(fd, target, count)
            }
            if got >= 0 || errno != EINTR { break }
        }
        if got < 0 {
            let reason = Self.lastError()
            buffer.removeLast(count)
            throw .readFailed(path: path, reason: reason)
        }
        buffer.removeLast(count - got)
        return got
    }

    private static func lastError() -> String {
        let code = errno
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }
}

/// The resumable byte-level state machine behind `CSVReader`.
///
/// It scans a buffer that always begins at or before the current record, records
/// field boundaries as offsets, and only builds Strings once a record is complete,
/// so a refill in the middle of a field just continues where it stopped.
struct CSVScanner: Sendable {
    enum State: Sendable {
        case recordStart, comment, fieldStart, unquoted, quoted, quoteInQuoted, afterQuoted
    }

    enum Outcome: Sendable { case record, needMore, end }

    /// Field bytes `start..<end`; for quoted fields the content between the quotes.
    struct Span: Sendable {
        var start: Int
        var end: Int
        var line: Int
        var escaped: Bool
    }

    private static let tab: UInt8 = 0x09, lf: UInt8 = 0x0A, cr: UInt8 = 0x0D
    private static let space: UInt8 = 0x20, quote: UInt8 = 0x22, hash: UInt8 = 0x23
    private static let comma: UInt8 = 0x2C

    var state = State.recordStart
    var pos = 0
    /// Buffer offset of the first byte still needed.
    var recordStart = 0
    var line = 1
    var recordLine = 1
    var fieldStart = 0
    var fieldEnd = 0
    var fieldLine = 1
    var escaped = false
    /// A CR ended the previous line; an LF right after it belongs to that line.
    var pendingLF = false
    var spans: [Span] = []
    private var scratch: [UInt8] = []

    /// Adjusts offsets after the reader dropped `n` bytes from the buffer's front.
    mutating func shift(by n: Int) {
        pos -= n
        recordStart -= n
        fieldStart -= n
        fieldEnd -= n
        for i in spans.indices {
            spans[i].start -= n
            spans[i].end -= n
        }
    }

    /// Scans until a record is complete, more input is needed, or input ends.
    mutating func scan(_ b: UnsafeBufferPointer<UInt8>, eof: Bool) throws(CSVError) -> Outcome {
        let n = b.count
        var p = pos
        defer { pos = p }
        do throws(CSVError) {
            while p < n {
                switch state {
                case .recordStart:
                    let c = b[p]
                    if pendingLF {
                        pendingLF = false
                        if c == Self.lf {
                            p += 1
                            recordStart = p
                            continue
                        }
                    }
                    switch c {
                    case Self.space, Self.tab:
                        p += 1
                    case Self.lf, Self.cr:
                        endLine(c, &p)
                        recordStart = p
                    case Self.hash:
                        state = .comment
                        p += 1
                    default:
                        recordLine = line
                        state = .fieldStart
                    }

                case .comment:
                    while p < n, b[p] != Self.lf, b[p] != Self.cr { p += 1 }
                    if p < n { endLine(b[p], &p) }
                    recordStart = p

                case .fieldStart:
                    let c = b[p]
                    switch c {
                    case Self.space, Self.tab:
                        p += 1
                    case Self.quote:
                        p += 1
                        fieldStart = p
                        fieldLine = line
                        escaped = false
                        state = .quoted
                    case Self.comma:
                        spans.append(Span(start: p, end: p, line: line, escaped: false))
                        p += 1
                    case Self.lf, Self.cr:
                        spans.append(Span(start: p, end: p, line: line, escaped: false))
                        endLine(c, &p)
                        return .record
                    default:
                        fieldStart = p
                        fieldLine = line
                        p += 1
                        fieldEnd = p
                        state = .unquoted
                    }

                case .unquoted:
                    // Every delimiter sorts at or below ",", so most bytes take one compare.
                    var end = fieldEnd
                    var c: UInt8 = 0
                    while p < n {
                        c = b[p]
                        if c > Self.comma {
                            p += 1
                            end = p
                        } else if c == Self.space || c == Self.tab {
                            p += 1
                        } else if c == Self.comma || c == Self.lf || c == Self.cr || c == Self.quote {
                            break
                        } else {
                            p += 1
                            end = p
                        }
                    }
                    fieldEnd = end
                    if p == n { break }
                    if c == Self.quote { throw CSVError.unexpectedQuote(line: line) }
                    spans.append(Span(start: fieldStart, end: end, line: fieldLine, escaped: false))
                    if c == Self.comma {
                        p += 1
                        state = .fieldStart
                    } else {
                        endLine(c, &p)
                        return .record
                    }

                case .quoted:
                    while p < n {
                        let c = b[p]
                        if c > Self.quote { p += 1; continue }
                        if c == Self.quote { break }
                        // CRLF counts once: the CR counted, so skip its LF.
                        if c == Self.cr || (c == Self.lf && (p == 0 || b[p - 1] != Self.cr)) { line += 1 }
                        p += 1
                    }
                    if p == n { break }
                    fieldEnd = p
                    p += 1
                    state = .quoteInQuoted

                case .quoteInQuoted:
                    let c = b[p]
                    switch c {
                    case Self.quote:
                        escaped = true
                        p += 1
                        state = .quoted
                    case Self.comma:
                        appendQuoted()
                        p += 1
                        state = .fieldStart
                    case Self.lf, Self.cr:
                        appendQuoted()
                        endLine(c, &p)
                        return .record
                    case Self.space, Self.tab:
                        appendQuoted()
                        p += 1
                        state = .afterQuoted
                    default:
                        throw CSVError.unexpectedQuote(line: line)
                    }

                case .afterQuoted:
                    let c = b[p]
                    switch c {
                    case Self.space, Self.tab:
                        p += 1
                    case Self.comma:
                        p += 1
                        state = .fieldStart
                    case Self.lf, Self.cr:
                        endLine(c, &p)
                        return .record
                    default:
                        throw CSVError.unexpectedQuote(line: line)
                    }
                }
            }
        } catch {
            // Resume at the next physical line so callers can report every problem.
            spans.removeAll(keepingCapacity: true)
            state = .comment
            recordStart = p
            throw error
        }

        if !eof { return .needMore }
        // A final line without a line break.
        switch state {
        case .recordStart, .comment:
            return .end
        case .fieldStart:
            spans.append(Span(start: p, end: p, line: line, escaped: false))
        case .unquoted:
            spans.append(Span(start: fieldStart, end: fieldEnd, line: fieldLine, escaped: false))
        case .quoted:
            spans.removeAll(keepingCapacity: true)
            state = .recordStart
            recordStart = p
            throw .unterminatedQuote(line: fieldLine)
        case .quoteInQuoted:
            appendQuoted()
        case .afterQuoted:
            break
        }
        state = .recordStart
        return .record
    }

    private mutating func appendQuoted() {
        spans.append(Span(start: fieldStart, end: fieldEnd, line: fieldLine, escaped: escaped))
    }

    private mutating func endLine(_ c: UInt8, _ p: inout Int) {
        line += 1
        p += 1
        pendingLF = c == Self.cr
        state = .recordStart
    }

    /// Builds the record `scan` just completed and releases its bytes.
    mutating func takeRecord(_ b: UnsafeBufferPointer<UInt8>) throws(CSVError) -> CSVRecord {
        defer {
            spans.removeAll(keepingCapacity: true)
            recordStart = pos
        }
        var fields: [String] = []
        fields.reserveCapacity(spans.count)
        for span in spans {
            var raw = UnsafeBufferPointer(rebasing: b[span.start..<span.end])
            if span.escaped {
                unescape(raw)
                if let text = scratch.withUnsafeBufferPointer({ String(validating: $0, as: UTF8.self) }) {
                    fields.append(text)
                    continue
                }
                let line = scratch.withUnsafeBufferPointer { Self.lineOfInvalidByte($0, from: span.line) }
                throw .notUTF8(line: line)
            }
            if let text = String(validating: raw, as: UTF8.self) {
                fields.append(text)
            } else {
                raw = UnsafeBufferPointer(rebasing: b[span.start..<span.end])
                throw .notUTF8(line: Self.lineOfInvalidByte(raw, from: span.line))
            }
        }
        return CSVRecord(line: recordLine, fields: fields)
    }

    /// Copies quoted content into `scratch`, turning each `""` into `"`.
    /// Inside a quoted span quotes only occur in pairs, so keep one and skip one.
    private mutating func unescape(_ raw: UnsafeBufferPointer<UInt8>) {
        scratch.removeAll(keepingCapacity: true)
        var i = 0
        while i < raw.count {
            let c = raw[i]
            scratch.append(c)
            i += c == Self.quote ? 2 : 1
        }
    }

    /// The physical line of the first invalid UTF-8 sequence in a field.
    private static func lineOfInvalidByte(_ raw: UnsafeBufferPointer<UInt8>, from line: Int) -> Int {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = raw.makeIterator()
        var offset = 0
        scanning: while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let scalar): offset += scalar.count
            case .error, .emptyInput: break scanning
            }
        }
        var result = line
        for i in 0..<offset where raw[i] == cr || (raw[i] == lf && (i == 0 || raw[i - 1] != cr)) {
            result += 1
        }
        return result
    }
}
