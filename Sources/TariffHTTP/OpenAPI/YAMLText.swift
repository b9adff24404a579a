/// Writes a JSON document as block-style YAML, keys in the JSON's order. Every string is
/// double-quoted (YAML's double-quoted style takes JSON's escapes), so no value can be read
/// back as another type ("no", "1.0", "null").
enum YAMLText {
    static func write(_ document: OrderedJSON) -> String {
        var out = ""
        switch document {
        case .object(let members) where !members.isEmpty: writeMembers(members, indent: 0, into: &out, firstPrefix: nil)
        case .array(let items) where !items.isEmpty: writeItems(items, indent: 0, into: &out)
        default: out += scalar(document) + "\n"
        }
        return out
    }

    /// `firstPrefix` replaces the first member's indentation (after a list item's dash).
    private static func writeMembers(
        _ members: [(key: String, value: OrderedJSON)],
        indent: Int,
        into out: inout String,
        firstPrefix: String?
    ) {
        for (index, member) in members.enumerated() {
            out += index == 0 ? (firstPrefix ?? pad(indent)) : pad(indent)
            out += key(member.key) + ":"
            switch member.value {
            case .object(let nested) where !nested.isEmpty:
                out += "\n"
                writeMembers(nested, indent: indent + 2, into: &out, firstPrefix: nil)
            case .array(let items) where !items.isEmpty:
                out += "\n"
                writeItems(items, indent: indent, into: &out)
            default: out += " " + scalar(member.value) + "\n"
            }
        }
    }

    private static func writeItems(_ items: [OrderedJSON], indent: Int, into out: inout String) {
        for item in items {
            switch item {
            case .object(let members) where !members.isEmpty:
                writeMembers(members, indent: indent + 2, into: &out, firstPrefix: pad(indent) + "- ")
            case .array(let nested) where !nested.isEmpty:
                out += pad(indent) + "-\n"
                writeItems(nested, indent: indent + 2, into: &out)
            default: out += pad(indent) + "- " + scalar(item) + "\n"
            }
        }
    }

    private static func pad(_ indent: Int) -> String { String(repeating: " ", count: indent) }

    private static func scalar(_ value: OrderedJSON) -> String {
        switch value {
        case .object: "{}"
        case .array: "[]"
        case .string(let text): quoted(text)
        case .number(let text): text
        case .bool(let flag): flag ? "true" : "false"
        case .null: "null"
        }
    }

    /// A key stays plain when nothing in it means anything to YAML.
    private static func key(_ text: String) -> String {
        let plain = text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
        let reserved: Set<String> = ["y", "Y", "n", "N", "yes", "no", "on", "off", "true", "false", "null", "Yes", "No", "True", "False", "Null"]
        return plain && !text.isEmpty && !reserved.contains(text) && !("0"..."9").contains(text.unicodeScalars.first!) ? text : quoted(text)
    }

    private static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
