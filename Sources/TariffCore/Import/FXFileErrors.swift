/// One problem found in an exchange-rate file.
public enum FXFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Something wrong at `line` (1-based) of the file.
    case problem(line: Int, message: String)
    /// The file could not be opened or read at all.
    case unreadable(reason: String)

    /// `line N: message`, or the I/O reason.
    public var description: String {
        switch self {
        case .problem(let line, let message): "line \(line): \(message)"
        case .unreadable(let reason): reason
        }
    }
}

/// Every problem found in one exchange-rate file; thrown instead of partial results.
public struct FXFileErrors: Error, Equatable, Sendable, CustomStringConvertible {
    /// The path or other name of the file.
    public let file: String
    /// In file order; never empty.
    public let problems: [FXFileError]

    /// Groups problems under a file name.
    public init(file: String, problems: [FXFileError]) {
        self.file = file
        self.problems = problems
    }

    /// One `file: line N: message` line per problem.
    public var description: String {
        problems.map { "\(file): \($0)" }.joined(separator: "\n")
    }
}
