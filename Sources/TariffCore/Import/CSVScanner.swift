/// The resumable byte-level state machine behind `CSVReader`.
///
/// It scans a buffer that always begins at or before the current record, records
/// field boundaries as offsets, and only builds Strings once a record is complete,
/// so a refill in the middle of a field just continues where it stopped.
///
/// A field longer than ``CSVReader/maxFieldBytes`` or a record longer than
/// ``CSVReader/maxRecordBytes`` marks the record as oversized: it is still scanned to its end,
/// so that its quotes keep their meaning, but its bytes are released as they go by and the
/// error is thrown in place of the record.
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

    static let tab: UInt8 = 0x09, lf: UInt8 = 0x0A, cr: UInt8 = 0x0D
    static let space: UInt8 = 0x20, quote: UInt8 = 0x22, hash: UInt8 = 0x23
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
    /// `""` pairs in the current quoted field: its content is this much shorter than its span.
    var escapedQuotes = 0
    /// Set once the current record went past a bound; thrown when the record ends.
    var oversize: CSVError?
    /// A field of the current record holds a byte below space other than TAB (a line break in
    /// a quoted field included). Found on the scan's slow paths, so the common record costs nothing.
    var controlBytes = false
    /// A CR ended the previous line; an LF right after it belongs to that line.
    var pendingLF = false
    var spans: [Span] = []
    var scratch: [UInt8] = []

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
                        controlBytes = false
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
                        escapedQuotes = 0
                        state = .quoted
                    case Self.comma:
                        spans.append(Span(start: p, end: p, line: line, escaped: false))
                        p += 1
                    case Self.lf, Self.cr:
                        spans.append(Span(start: p, end: p, line: line, escaped: false))
                        endLine(c, &p)
                        return .record
                    default:
                        if c < Self.space { controlBytes = true }
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
                            if c < Self.space { controlBytes = true }
                            p += 1
                            end = p
                        }
                    }
                    fieldEnd = end
                    if p == n { break }
                    if c == Self.quote { throw CSVError.unexpectedQuote(line: line) }
                    checkField(bytes: end - fieldStart)
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
                        if c > Self.quote {
                            p += 1
                            continue
                        }
                        if c == Self.quote { break }
                        if c < Self.space && c != Self.tab { controlBytes = true }
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
                        escapedQuotes += 1
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
            // The record's first problem: an oversized one was found before the syntax error.
            let first = oversize ?? error
            oversize = nil
            throw first
        }

        if !eof {
            bound(at: p)
            return .needMore
        }
        // A final line without a line break.
        switch state {
        case .recordStart, .comment:
            return .end
        case .fieldStart:
            spans.append(Span(start: p, end: p, line: line, escaped: false))
        case .unquoted:
            checkField(bytes: fieldEnd - fieldStart)
            spans.append(Span(start: fieldStart, end: fieldEnd, line: fieldLine, escaped: false))
        case .quoted:
            spans.removeAll(keepingCapacity: true)
            state = .recordStart
            recordStart = p
            oversize = nil
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
        checkField(bytes: fieldEnd - fieldStart - escapedQuotes)
        spans.append(Span(start: fieldStart, end: fieldEnd, line: fieldLine, escaped: escaped))
    }

    /// Marks the record oversized when the field about to be added is too long.
    private mutating func checkField(bytes: Int) {
        if bytes > CSVReader.maxFieldBytes, oversize == nil {
            oversize = .fieldTooLong(line: fieldLine, field: spans.count + 1)
        }
    }

    /// Before the reader refills: applies the bounds to what is buffered of the current record,
    /// and lets go of whatever is not needed, so a giant field or line never stays in memory.
    private mutating func bound(at p: Int) {
        switch state {
        case .recordStart:
            // Only blanks so far (a comment sets `recordStart` itself).
            recordStart = p
            return
        case .comment:
            return
        case .fieldStart, .afterQuoted:
            break
        case .unquoted:
            checkField(bytes: fieldEnd - fieldStart)
        case .quoted:
            checkField(bytes: p - fieldStart - escapedQuotes)
        case .quoteInQuoted:
            checkField(bytes: fieldEnd - fieldStart - escapedQuotes)
        }
        if oversize == nil, p - recordStart > CSVReader.maxRecordBytes {
            oversize = .recordTooLong(line: recordLine)
        }
        guard oversize != nil else { return }
        // The record will not be built: drop its bytes, but one, which `.quoted` looks back
        // at to count a CRLF split between two reads once.
        spans.removeAll(keepingCapacity: true)
        recordStart = max(recordStart, p - 1)
    }

    private mutating func endLine(_ c: UInt8, _ p: inout Int) {
        line += 1
        p += 1
        pendingLF = c == Self.cr
        state = .recordStart
    }
}
