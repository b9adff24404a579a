/// CDR files as CSV: a header naming the columns (`id,product,to,from,seconds,messages,
/// occurred_at`, and `units,variant,country` for metered products; any order, others
/// ignored), then one usage record per row.
extension UsageFields {
    /// The columns of a CSV usage file, found in its header.
    public struct CSVColumns: Sendable {
        let indexes: [String: Int]

        /// Throws when a column every record needs is absent.
        public init(header: CSVReader.Header) throws(UsageProblem) {
            var indexes: [String: Int] = [:]
            for name in UsageFields.fieldNames { indexes[name] = header.index(of: name) }
            let missing = ["id", "product", "occurred_at"].filter { indexes[$0] == nil }
            guard missing.isEmpty else {
                throw .invalid(
                    "the header has no \(missing.joined(separator: ", ")) column: expected \(UsageFields.fieldNames.joined(separator: ","))"
                )
            }
            guard indexes["seconds"] != nil || indexes["messages"] != nil || indexes["units"] != nil else {
                throw .invalid("the header has no seconds, messages or units column")
            }
            self.indexes = indexes
        }
    }

    /// The record in one CSV row; an empty cell is an absent field.
    public init(csv record: CSVRecord, columns: CSVColumns) throws(UsageProblem) {
        func cell(_ name: String) -> String? {
            guard let index = columns.indexes[name], index < record.fields.count else { return nil }
            let value = record.fields[index]
            return value.isEmpty ? nil : value
        }
        func count(_ name: String) throws(UsageProblem) -> Int? {
            guard let text = cell(name) else { return nil }
            guard let value = Int(text) else { throw .invalid("\(name): '\(text)' is not a whole number") }
            return value
        }
        self.init(
            id: cell("id"),
            product: cell("product"),
            to: cell("to"),
            from: cell("from"),
            seconds: try count("seconds"),
            messages: try count("messages"),
            occurredAt: cell("occurred_at"),
            units: try count("units"),
            variant: cell("variant"),
            country: cell("country")
        )
    }
}
