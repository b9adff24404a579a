/// One thing wrong in an imported file, in the form editors jump to: `FILE:LINE: column: problem`.
public struct ImportProblem: Sendable, Hashable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let column: String
    public let message: String

    public init(file: String, line: Int, column: String, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "\(file):\(line): \(column): \(message)" }
}

/// An import that stored nothing, with every problem found (the first ``ImportFailure/cap`` kept).
public struct ImportFailure: Error, Sendable, CustomStringConvertible {
    public static let cap = 200
    public let file: String
    public let problems: [ImportProblem]
    /// All problems found, including those past the cap.
    public let total: Int

    public init(file: String, problems: [ImportProblem], total: Int? = nil) {
        self.file = file
        self.problems = Array(problems.prefix(Self.cap))
        self.total = total ?? problems.count
    }

    public var description: String {
        var lines = problems.map(\.description)
        if total > problems.count { lines.append("... and \(total - problems.count) more problems") }
        lines.append("\(file): \(total) problem\(total == 1 ? "" : "s"); nothing was imported")
        return lines.joined(separator: "\n")
    }
}

/// Collects problems while a file is read, keeping only the first ``ImportFailure/cap``.
struct ProblemList {
    let file: String
    private(set) var problems: [ImportProblem] = []
    private(set) var total = 0

    init(file: String) { self.file = file }

    mutating func add(line: Int, column: String, _ message: String) {
        total += 1
        if problems.count < ImportFailure.cap {
            problems.append(ImportProblem(file: file, line: line, column: column, message: message))
        }
    }

    var isEmpty: Bool { total == 0 }

    func failure() -> ImportFailure { ImportFailure(file: file, problems: problems, total: total) }
}
