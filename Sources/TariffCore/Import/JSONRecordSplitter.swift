/// Cuts a stream of JSON records into one record at a time, as bytes arrive: NDJSON (a record
/// per line) or one JSON array of records, told apart by the first byte that is not blank.
/// Only the record being read is held, so a day of CDRs streams through in constant memory.
public struct JSONRecordSplitter: Sendable {
    /// One record's bytes (not yet decoded), or why it could not be cut out.
    public struct Piece: Sendable, Hashable {
        /// 1-based position among the records.
        public let ordinal: Int
        /// The line of the input where the record starts.
        public let line: Int
        public let bytes: [UInt8]
        /// Set when the record is too long or the array is malformed; `bytes` is then empty.
        public let problem: String?
    }

    /// NDJSON (a record per line) or one JSON array of records.
    public enum Format: Sendable { case lines, array }

    /// A record longer than this is answered with an error, not read: a usage record is a few
    /// hundred bytes, and a client must not make the server hold a gigabyte in one.
    public let maxRecordBytes: Int
    public private(set) var format: Format?

    private var current: [UInt8] = []
    private var overflowed = false
    private var line = 1
    private var recordLine = 1
    private var ordinal = 0
    // The array's grammar, as far as cutting it needs: depth 1 is inside the array.
    private var depth = 0
    private var inString = false
    private var escaped = false
    private var arrayClosed = false
    private var trailingProblem = false

    public init(maxRecordBytes: Int = 16 * 1024) {
        self.maxRecordBytes = maxRecordBytes
    }

    /// The records completed by `bytes`.
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [Piece] {
        // A network chunk or a file's block is contiguous: read it as such, not byte by byte
        // through a generic iterator.
        if let pieces = bytes.withContiguousStorageIfAvailable({ feed(contiguous: $0) }) { return pieces }
        return Array(bytes).withUnsafeBufferPointer { feed(contiguous: $0) }
    }

    private mutating func feed(contiguous bytes: UnsafeBufferPointer<UInt8>) -> [Piece] {
        var pieces: [Piece] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if format == nil {
                index += 1
                if Self.isBlank(byte) {
                    if byte == UInt8(ascii: "\n") { line += 1 }
                    continue
                }
                format = byte == UInt8(ascii: "[") ? .array : .lines
                if format == .array {
                    depth = 1
                    continue
                }
                index -= 1
            }
            if format == .lines {
                // A whole line at a time: up to the next newline, or the chunk's end.
                var end = index
                while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
                append(UnsafeBufferPointer(rebasing: bytes[index..<end]))
                guard end < bytes.count else { break }
                emit(into: &pieces)
                recordLine = line + 1
                line += 1
                index = end + 1
            } else {
                feedArray(byte, into: &pieces)
                if byte == UInt8(ascii: "\n") { line += 1 }
                index += 1
            }
        }
        return pieces
    }

    /// The last record, and the error of an array left open.
    public mutating func finish() -> [Piece] {
        var pieces: [Piece] = []
        switch format {
        case .lines: emit(into: &pieces)
        case .array:
            if !arrayClosed {
                if !isBlankRecord { emit(into: &pieces) }
                pieces.append(problem("the JSON array is not closed: the input ended inside it"))
            }
        case nil: break
        }
        return pieces
    }

    private mutating func feedArray(_ byte: UInt8, into pieces: inout [Piece]) {
        if arrayClosed {
            if !Self.isBlank(byte), !trailingProblem {
                trailingProblem = true
                pieces.append(problem("unexpected text after the end of the JSON array"))
            }
            return
        }
        if inString {
            append(byte)
            if escaped {
                escaped = false
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
            } else if byte == UInt8(ascii: "\"") {
                inString = false
            }
            return
        }
        switch byte {
        case UInt8(ascii: "\""):
            inString = true
            append(byte)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            depth += 1
            append(byte)
        case UInt8(ascii: "}"), UInt8(ascii: "]"):
            depth -= 1
            if depth == 0 {
                if !isBlankRecord || ordinal > 0 { emit(into: &pieces) }
                arrayClosed = true
            } else {
                append(byte)
            }
        case UInt8(ascii: ",") where depth == 1:
            emit(into: &pieces)
        default:
            if isBlankRecord, Self.isBlank(byte) {
                if byte == UInt8(ascii: "\n") { recordLine = line + 1 }
                return
            }
            append(byte)
        }
    }

    private var isBlankRecord: Bool { current.isEmpty && !overflowed }

    private mutating func append(_ byte: UInt8) {
        guard !overflowed else { return }
        if current.isEmpty { recordLine = line }
        guard current.count < maxRecordBytes else {
            overflowed = true
            current = []
            return
        }
        current.append(byte)
    }

    private mutating func append(_ run: UnsafeBufferPointer<UInt8>) {
        guard !overflowed, !run.isEmpty else { return }
        if current.isEmpty { recordLine = line }
        guard current.count + run.count <= maxRecordBytes else {
            overflowed = true
            current = []
            return
        }
        current.append(contentsOf: run)
    }

    private mutating func emit(into pieces: inout [Piece]) {
        defer {
            current = []
            overflowed = false
        }
        if overflowed {
            pieces.append(problem("the record is longer than \(maxRecordBytes) bytes"))
            return
        }
        // Blank lines between NDJSON records are not records.
        guard current.contains(where: { !Self.isBlank($0) }) else {
            if format == .array { pieces.append(problem("an empty element in the JSON array")) }
            return
        }
        ordinal += 1
        pieces.append(Piece(ordinal: ordinal, line: recordLine, bytes: current, problem: nil))
    }

    private mutating func problem(_ text: String) -> Piece {
        ordinal += 1
        return Piece(ordinal: ordinal, line: recordLine, bytes: [], problem: text)
    }

    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\t")
    }
}
