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
