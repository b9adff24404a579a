import PostgresNIO
import SQLiteNIO

/// A row as either engine gives it: both read the same columns into the same values, so
/// each value is decoded by one function whichever engine stored it.
protocol StoredRow {
    func text(_ column: String) throws -> String
    func optionalText(_ column: String) throws -> String?
    func int(_ column: String) throws -> Int64
    func optionalInt(_ column: String) throws -> Int64?
}

extension SQLiteRow: StoredRow {}
extension PostgresRandomAccessRow: StoredRow {}

/// A value bound to a statement, on either engine.
enum StoredValue: Sendable, Equatable {
    case int(Int64)
    case text(String)
    case null

    static func int(_ value: Int) -> StoredValue { .int(Int64(value)) }
    static func optional(_ text: String?) -> StoredValue { text.map { .text($0) } ?? .null }
    static func optional(_ value: Int64?) -> StoredValue { value.map { .int($0) } ?? .null }
}

extension StoredValue {
    var sqlite: SQLiteData {
        switch self {
        case .int(let value): .integer(SQLiteInt64(value))
        case .text(let value): .text(value)
        case .null: .null
        }
    }
}
