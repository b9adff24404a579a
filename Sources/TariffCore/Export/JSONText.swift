/// JSON written by hand where a generic encoder costs more than the work it serialises (a
/// charge's explanation per ledger entry, an answer line per batch record).
public enum JSONText {
    /// A JSON string literal: quotes, backslashes and control characters escaped (and U+2028,
    /// U+2029, which JavaScript reads as line ends), everything else as it is.
    public static func quoted(_ text: String) -> String {
        // Almost every string needs no escape: one pass over its bytes proves it.
        // (0xE2 leads U+2028 and U+2029, and other scalars, which take the careful path.)
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0xE2 }) { return "\"" + text + "\"" }
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

    /// `{"name":value,...}` from members whose values are JSON already; nil values are left out.
    public static func object(_ members: KeyValuePairs<String, String?>) -> String {
        var out = "{"
        out.reserveCapacity(members.reduce(2) { $0 + $1.key.utf8.count + ($1.value?.utf8.count ?? 0) + 4 })
        var first = true
        for (name, value) in members {
            guard let value else { continue }
            if !first { out += "," }
            first = false
            out += "\"" + name + "\":" + value
        }
        return out + "}"
    }
}
