import Foundation
import TariffCore

/// The parameters of one platform API call, read as the SDKs send them: booleans as
/// `true|false|True|False|1|0`, lists joined with `;`, dates as `YYYY-MM-DD` or
/// `YYYY-MM-DD HH:mm:ss` (UTC). An empty value counts as not given, as the Python SDK drops
/// `None` and some clients send empty fields instead.
struct PlatformParameters: Sendable, Equatable {
    private(set) var values: [String: String]

    init(_ values: [String: String] = [:]) { self.values = values }

    /// Adds `other`, whose values win (the body's over the query string's).
    mutating func merge(_ other: PlatformParameters) { values.merge(other.values) { _, new in new } }

    func string(_ name: String) -> String? {
        guard let value = values[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        return value
    }

    func required(_ name: String) throws(VoximplantError) -> String {
        guard let value = string(name) else { throw .missingArgument(name) }
        return value
    }

    func bool(_ name: String) throws(VoximplantError) -> Bool? {
        guard let text = string(name) else { return nil }
        switch text {
        case "true", "True", "TRUE", "1": return true
        case "false", "False", "FALSE", "0": return false
        default: throw .invalidArgument(name, "'\(text)' is not a boolean (true or false)")
        }
    }

    /// A `;`-separated list, without empty items.
    func list(_ name: String) -> [String]? {
        guard let text = string(name) else { return nil }
        let items = text.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return items.isEmpty ? nil : items
    }

    func int(_ name: String, in range: ClosedRange<Int> = 0...Int(Int32.max)) throws(VoximplantError) -> Int? {
        guard let text = string(name) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw .invalidArgument(name, "'\(text)' is not a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// A `;`-list of ids; nil for none given or `any`.
    func ids(_ name: String) throws(VoximplantError) -> Set<Int>? {
        guard let items = list(name), items != ["any"] else { return nil }
        var ids = Set<Int>()
        for item in items {
            guard let id = Int(item), id >= 0 else { throw .invalidArgument(name, "'\(item)' is not an id (a list of ids or 'any')") }
            ids.insert(id)
        }
        return ids
    }

    /// `YYYY-MM-DD` (midnight) or `YYYY-MM-DD HH:mm:ss`, in UTC.
    func date(_ name: String) throws(VoximplantError) -> Instant? {
        guard let text = string(name) else { return nil }
        guard Self.isPlatformDate(text), let instant = try? Instant(parsing: text) else { throw .invalidDate(name, text) }
        return instant
    }

    /// Only the two forms Voximplant documents, so that other ISO forms are not silently read
    /// in a time zone the caller did not mean.
    static func isPlatformDate(_ text: String) -> Bool {
        let shape = text.map { $0.isASCII && $0.isNumber ? "9" : String($0) }.joined()
        return shape == "9999-99-99" || shape == "9999-99-99 99:99:99"
    }
}
