/// JSON written by hand where a generic encoder costs more than the work it serialises (a
/// charge's explanation per ledger entry, an answer line per batch record).
public enum JSONText {
    /// A JSON string literal: quotes, backslashes and control characters escaped (and U+2028,
    /// U+2029, which JavaScript reads as line ends), everything else as it is.
    public static func quoted(_ text: String) -> String {
        if !needsEscape(text) { return "\"" + text + "\"" }
        var out = "\""
        out.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// Almost every string needs no escape: one pass over its bytes proves it. (0xE2 leads
    /// U+2028 and U+2029, and other scalars, which take the careful path.)
    public static func needsEscape(_ text: String) -> Bool {
        text.utf8.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0xE2 }
    }
}

/// One JSON object written member by member into a single byte buffer: no intermediate strings,
/// one allocation for the usual size. Members are written in the order given (the hand-written
/// encoders give them sorted, as `JSONEncoder` with `.sortedKeys` does); nil values are left out.
public struct JSONObjectWriter {
    private var bytes: [UInt8]
    private var empty = true

    public init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
        bytes.append(UInt8(ascii: "{"))
    }

    /// A string member, quoted and escaped.
    public mutating func string(_ name: StaticString, _ value: String?) {
        guard let value else { return }
        key(name)
        if JSONText.needsEscape(value) {
            bytes.append(contentsOf: JSONText.quoted(value).utf8)
        } else {
            bytes.append(UInt8(ascii: "\""))
            bytes.append(contentsOf: value.utf8)
            bytes.append(UInt8(ascii: "\""))
        }
    }

    /// A number member.
    public mutating func integer(_ name: StaticString, _ value: (some BinaryInteger)?) {
        guard let value else { return }
        key(name)
        bytes.append(contentsOf: String(value).utf8)
    }

    /// An object member, written by `members`.
    public mutating func object(_ name: StaticString, _ members: (inout JSONObjectWriter) -> Void) {
        key(name)
        nested(members)
    }

    /// An array member of objects, each written by `element`.
    public mutating func array<Element>(_ name: StaticString, _ elements: [Element], _ element: (inout JSONObjectWriter, Element) -> Void) {
        key(name)
        bytes.append(UInt8(ascii: "["))
        for (index, value) in elements.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            nested { element(&$0, value) }
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// An object written on into this buffer by a writer of its own, which then hands it back.
    private mutating func nested(_ members: (inout JSONObjectWriter) -> Void) {
        var inner = JSONObjectWriter(capacity: 0)
        swap(&inner.bytes, &bytes)
        inner.bytes.append(UInt8(ascii: "{"))
        members(&inner)
        inner.bytes.append(UInt8(ascii: "}"))
        swap(&inner.bytes, &bytes)
    }

    /// The object's text.
    public consuming func finish() -> String {
        bytes.append(UInt8(ascii: "}"))
        return String(decoding: bytes, as: UTF8.self)
    }

    private mutating func key(_ name: StaticString) {
        if empty { empty = false } else { bytes.append(UInt8(ascii: ",")) }
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }
}
