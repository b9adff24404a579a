/// A streaming RFC 4180 reader for rate decks and similar files.
///
/// Files are read in chunks, so memory stays proportional to the longest record,
/// not the file; a field over ``maxFieldBytes`` or a record over ``maxRecordBytes`` is an
/// error, and its bytes are not kept. Lines whose first non-blank character is `#` (at the
/// start of a record) are comments; blank lines are skipped; a leading UTF-8 BOM is ignored;
/// LF, CRLF and lone CR all end a line. A UTF-16 or UTF-32 file is refused at its first
/// record (``CSVError/otherEncoding(_:)``), and then reads as empty.
///
/// After a syntax error is thrown, `next()` resumes at the following physical line,
/// so a caller can collect every problem in one pass.
///
/// Copies are independent: file reads are positional (`pread`) for regular files.
public struct CSVReader: Sendable {
    static let defaultChunkSize = 1 << 20
    /// The longest field accepted, in bytes of its content: no price-list cell comes near it,
    /// so anything longer is a broken file (a quote never closed, binary data).
    public static let maxFieldBytes = 4096
    /// The longest record accepted, in bytes: room for dozens of fields at their longest.
    public static let maxRecordBytes = 1 << 18

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
    /// The input was refused as a whole (another encoding): nothing more is read.
    private var refused = false
    /// The most bytes held in the buffer at once; tests use it to check that memory stays bounded.
    private(set) var peakBufferedBytes = 0
    /// Whether the record `next()` returned last has a control character other than TAB in a
    /// field (line breaks in quoted fields included): only those need a closer look.
    private(set) var lastRecordHasControlBytes = false
    /// Take off the `'` that ``CSVCell/escaped(_:)`` puts before cells a spreadsheet would run
    /// as formulas; decks are written that way, other CSV files are read as they are.
    var unescapesCells = false
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
        self.peakBufferedBytes = bytes.count
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
        if refused { return nil }
        if !bomChecked { try checkEncoding() }
        while true {
            let isEOF = eof
            let outcome = try buffer.withUnsafeBufferPointer { b throws(CSVError) in
                try scanner.scan(b, eof: isEOF)
            }
            switch outcome {
            case .record:
                let unescaping = unescapesCells
                let record = try buffer.withUnsafeBufferPointer { b throws(CSVError) in
                    try scanner.takeRecord(b, unescapingCells: unescaping)
                }
                lastRecordHasControlBytes = scanner.controlBytes
                return record
            case .end:
                return nil
            case .needMore:
                try refill()
            }
        }
    }

    /// Skips a UTF-8 byte-order mark; refuses UTF-16 and UTF-32 before they read as nonsense.
    private mutating func checkEncoding() throws(CSVError) {
        while buffer.count < TextEncodingCheck.sampleSize && !eof { try refill() }
        bomChecked = true
        if let encoding = TextEncodingCheck.otherEncoding(buffer) {
            refused = true
            throw .otherEncoding(encoding)
        }
        if buffer.count >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF {
            scanner.pos = 3
            scanner.recordStart = 3
        }
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
        peakBufferedBytes = max(peakBufferedBytes, buffer.count)
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
            String(
                name.drop(while: { $0 == " " || $0 == "\t" })
                    .reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed()
            )
            .lowercased()
        }
    }
}
