/// A JSON document read with its objects' keys in written order, which Foundation's parser
/// does not keep: the YAML form of the API description reads in the same order as the JSON.
indirect enum OrderedJSON: Equatable, Sendable {
    case object([(key: String, value: OrderedJSON)])
    case array([OrderedJSON])
    case string(String)
    /// The number's text as written.
    case number(String)
    case bool(Bool)
    case null

    static func == (lhs: OrderedJSON, rhs: OrderedJSON) -> Bool {
        switch (lhs, rhs) {
        case (.object(let a), .object(let b)): a.map(\.key) == b.map(\.key) && a.map(\.value) == b.map(\.value)
        case (.array(let a), .array(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.number(let a), .number(let b)): a == b
        case (.bool(let a), .bool(let b)): a == b
        case (.null, .null): true
        default: false
        }
    }

    /// The member `key` of an object (nil for anything else, or when absent).
    subscript(key: String) -> OrderedJSON? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    var members: [(key: String, value: OrderedJSON)] {
        if case .object(let members) = self { return members }
        return []
    }

    struct SyntaxError: Error, CustomStringConvertible {
        let offset: Int
        let expected: String
        var description: String { "JSON: expected \(expected) at byte \(offset)" }
    }

    init(parsing bytes: [UInt8]) throws(SyntaxError) {
        var reader = Reader(bytes: bytes)
        self = try reader.value(depth: 0)
        reader.skipSpace()
        guard reader.offset == bytes.count else { throw SyntaxError(offset: reader.offset, expected: "the end of the document") }
    }

    private struct Reader {
        let bytes: [UInt8]
        var offset = 0

        mutating func skipSpace() {
            while offset < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[offset]) { offset += 1 }
        }

        mutating func expect(_ byte: UInt8, _ what: String) throws(SyntaxError) {
            skipSpace()
            guard offset < bytes.count, bytes[offset] == byte else { throw SyntaxError(offset: offset, expected: what) }
            offset += 1
        }

        /// Steps over a comma between members or items; false when the next byte is not one.
        mutating func comma() -> Bool {
            skipSpace()
            guard offset < bytes.count, bytes[offset] == UInt8(ascii: ",") else { return false }
            offset += 1
            return true
        }

        mutating func literal(_ text: String) -> Bool {
            let wanted = Array(text.utf8)
            guard bytes.count - offset >= wanted.count, Array(bytes[offset..<offset + wanted.count]) == wanted else { return false }
            offset += wanted.count
            return true
        }

        mutating func value(depth: Int) throws(SyntaxError) -> OrderedJSON {
            // The description is ours, but a parser must not recurse without end on any input.
            guard depth < 64 else { throw SyntaxError(offset: offset, expected: "at most 64 levels of nesting") }
            skipSpace()
            guard offset < bytes.count else { throw SyntaxError(offset: offset, expected: "a value") }
            switch bytes[offset] {
            case UInt8(ascii: "{"):
                offset += 1
                var members: [(key: String, value: OrderedJSON)] = []
                skipSpace()
                if offset < bytes.count, bytes[offset] == UInt8(ascii: "}") {
                    offset += 1
                    return .object(members)
                }
                while true {
                    skipSpace()
                    let key = try string()
                    try expect(UInt8(ascii: ":"), "':'")
                    members.append((key, try value(depth: depth + 1)))
                    guard comma() else { break }
                }
                try expect(UInt8(ascii: "}"), "'}'")
                return .object(members)
            case UInt8(ascii: "["):
                offset += 1
                var items: [OrderedJSON] = []
                skipSpace()
                if offset < bytes.count, bytes[offset] == UInt8(ascii: "]") {
                    offset += 1
                    return .array(items)
                }
                while true {
                    items.append(try value(depth: depth + 1))
                    guard comma() else { break }
                }
                try expect(UInt8(ascii: "]"), "']'")
                return .array(items)
            case UInt8(ascii: "\""): return .string(try string())
            default:
                if literal("true") { return .bool(true) }
                if literal("false") { return .bool(false) }
                if literal("null") { return .null }
                let start = offset
                let numeric = Set("-+.eE0123456789".utf8)
                while offset < bytes.count, numeric.contains(bytes[offset]) { offset += 1 }
                guard offset > start, Double(String(decoding: bytes[start..<offset], as: UTF8.self)) != nil else {
                    throw SyntaxError(offset: start, expected: "a value")
                }
                return .number(String(decoding: bytes[start..<offset], as: UTF8.self))
            }
        }

        mutating func string() throws(SyntaxError) -> String {
            guard offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") else { throw SyntaxError(offset: offset, expected: "a string") }
            offset += 1
            var scalars = String.UnicodeScalarView()
            var run = offset
            func flush() { scalars.append(contentsOf: String(decoding: bytes[run..<offset], as: UTF8.self).unicodeScalars) }
            while offset < bytes.count {
                switch bytes[offset] {
                case UInt8(ascii: "\""):
                    flush()
                    offset += 1
                    return String(scalars)
                case UInt8(ascii: "\\"):
                    flush()
                    offset += 1
                    guard offset < bytes.count else { break }
                    let escape = bytes[offset]
                    offset += 1
                    switch escape {
                    case UInt8(ascii: "n"): scalars.append("\n")
                    case UInt8(ascii: "t"): scalars.append("\t")
                    case UInt8(ascii: "r"): scalars.append("\r")
                    case UInt8(ascii: "b"): scalars.append("\u{8}")
                    case UInt8(ascii: "f"): scalars.append("\u{C}")
                    case UInt8(ascii: "u"):
                        guard bytes.count - offset >= 4, let code = UInt32(String(decoding: bytes[offset..<offset + 4], as: UTF8.self), radix: 16)
                        else { throw SyntaxError(offset: offset, expected: "four hex digits") }
                        offset += 4
                        // Surrogate pairs are not needed by this document; refuse rather than garble.
                        guard let scalar = Unicode.Scalar(code) else { throw SyntaxError(offset: offset, expected: "a scalar, not a surrogate") }
                        scalars.append(scalar)
                    default: scalars.append(Unicode.Scalar(escape))
                    }
                    run = offset
                default: offset += 1
                }
            }
            throw SyntaxError(offset: offset, expected: "the string's closing quote")
        }
    }
}
