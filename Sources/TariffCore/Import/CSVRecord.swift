/// One logical CSV record.
public struct CSVRecord: Sendable, Equatable {
    /// 1-based physical line where the record starts.
    public let line: Int
    /// Field values: quotes removed, `""` unescaped; unquoted fields are trimmed of
    /// surrounding spaces and tabs, quoted content is kept as is.
    public let fields: [String]

    /// Makes a record; mostly for tests and callers that synthesize rows.
    public init(line: Int, fields: [String]) {
        self.line = line
        self.fields = fields
    }
}
