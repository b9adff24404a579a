extension CSVScanner {
    /// Builds the record `scan` just completed and releases its bytes; with `unescapingCells`,
    /// a cell escaped by ``CSVCell/escaped(_:)`` loses its leading `'`.
    mutating func takeRecord(_ b: UnsafeBufferPointer<UInt8>, unescapingCells: Bool = false) throws(CSVError) -> CSVRecord {
        defer {
            spans.removeAll(keepingCapacity: true)
            recordStart = pos
        }
        if let error = oversize {
            oversize = nil
            throw error
        }
        // Input given whole never reaches `bound(at:)`: the same limit, checked at the end.
        if pos - recordStart > CSVReader.maxRecordBytes { throw .recordTooLong(line: recordLine) }
        var fields: [String] = []
        fields.reserveCapacity(spans.count)
        for var span in spans {
            // The `'` is ASCII and no quote, so it goes the same way from quoted and unquoted spans.
            if unescapingCells, span.end - span.start >= 2, CSVCell.isEscape(b[span.start], b[span.start + 1]) { span.start += 1 }
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
