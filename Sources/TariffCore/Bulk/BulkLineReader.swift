/// Cuts a byte stream into lines as its chunks arrive, holding only the part of a line that
/// spans two chunks: a file of ten million numbers goes through in the memory of one chunk.
public struct BulkLineReader: Sendable {
    /// A longer line is reported as too long and not read: a number is at most a few dozen
    /// bytes, and a client must not make the server hold a gigabyte in one line.
    public let maxLineBytes: Int
    /// Lines completed so far (the next line's number is one more).
    public private(set) var lineCount = 0
    private var carry: [UInt8] = []
    private var carryTooLong = false

    public init(maxLineBytes: Int = 4096) {
        self.maxLineBytes = maxLineBytes
    }

    /// Calls `body` with each line `bytes` completes (its 1-based number and its bytes without
    /// the line end; nil when it was too long).
    public mutating func feed(_ bytes: UnsafeRawBufferPointer, _ body: (Int, UnsafeRawBufferPointer?) -> Void) {
        var start = 0
        let newline = UInt8(ascii: "\n")
        while start < bytes.count {
            guard let end = bytes[start...].firstIndex(of: newline) else {
                hold(UnsafeRawBufferPointer(rebasing: bytes[start...]))
                return
            }
            lineCount += 1
            if carry.isEmpty && !carryTooLong {
                emit(UnsafeRawBufferPointer(rebasing: bytes[start..<end]), body)
            } else {
                hold(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
                emitCarry(body)
            }
            start = end + 1
        }
    }

    /// The last line, when the stream does not end with a line break.
    public mutating func finish(_ body: (Int, UnsafeRawBufferPointer?) -> Void) {
        guard !carry.isEmpty || carryTooLong else { return }
        lineCount += 1
        emitCarry(body)
    }

    private mutating func hold(_ part: UnsafeRawBufferPointer) {
        guard !carryTooLong else { return }
        if carry.count + part.count > maxLineBytes {
            carryTooLong = true
            carry = []
        } else {
            carry.append(contentsOf: part)
        }
    }

    private mutating func emitCarry(_ body: (Int, UnsafeRawBufferPointer?) -> Void) {
        defer {
            carry.removeAll(keepingCapacity: true)
            carryTooLong = false
        }
        if carryTooLong { return body(lineCount, nil) }
        let held = carry
        held.withUnsafeBytes { emit($0, body) }
    }

    private func emit(_ line: UnsafeRawBufferPointer, _ body: (Int, UnsafeRawBufferPointer?) -> Void) {
        guard line.count <= maxLineBytes else { return body(lineCount, nil) }
        // A CRLF file's lines end in a CR, which is not part of the line.
        if line.last == 0x0D { return body(lineCount, UnsafeRawBufferPointer(rebasing: line.dropLast())) }
        body(lineCount, line)
    }
}
