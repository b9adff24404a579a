/// Why a CSV input could not be read.
public enum CSVError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A field holds bytes that are not UTF-8; `line` is where the first bad byte is.
    case notUTF8(line: Int)
    /// The input ends inside a quoted field that starts on `line`.
    case unterminatedQuote(line: Int)
    /// A quote inside an unquoted field, or text after a closing quote.
    case unexpectedQuote(line: Int)
    /// The file does not exist, is not readable, or is a directory.
    case cannotOpen(path: String, reason: String)
    /// An I/O error while reading an open file.
    case readFailed(path: String, reason: String)
    /// The file is in another encoding (`UTF-16`, `UTF-32`), seen from its first bytes; nothing was read.
    case otherEncoding(String)
    /// Field `field` (counted from 1) of the record is longer than ``CSVReader/maxFieldBytes``;
    /// `line` is where the field starts. The rest of the record is skipped.
    case fieldTooLong(line: Int, field: Int)
    /// The record is longer than ``CSVReader/maxRecordBytes``; the rest of it is skipped.
    case recordTooLong(line: Int)

    /// The line a syntax error refers to; nil for I/O errors.
    public var line: Int? {
        switch self {
        case .notUTF8(let line), .unterminatedQuote(let line), .unexpectedQuote(let line),
            .fieldTooLong(let line, _), .recordTooLong(let line):
            line
        case .otherEncoding: 1
        case .cannotOpen, .readFailed: nil
        }
    }

    /// A one-line message for logs and CLI output.
    /// What is wrong, without the line (for messages that give it as `FILE:LINE:`).
    public var problem: String {
        switch self {
        case .notUTF8: "not UTF-8 (save the file as UTF-8)"
        case .unterminatedQuote: "quoted field is never closed"
        case .unexpectedQuote: "unexpected quote (a quote inside an unquoted field, or text after a closing quote)"
        case .otherEncoding(let encoding): "the file is \(encoding); save it as UTF-8"
        case .fieldTooLong(_, let field): "field \(field) is longer than \(CSVReader.maxFieldBytes) bytes"
        case .recordTooLong: "the record is longer than \(CSVReader.maxRecordBytes) bytes"
        case .cannotOpen, .readFailed: description
        }
    }

    public var description: String {
        switch self {
        case .notUTF8(let line): "line \(line): invalid UTF-8"
        case .unterminatedQuote(let line): "line \(line): quoted field is never closed"
        case .unexpectedQuote(let line): "line \(line): unexpected quote (a quote inside an unquoted field, or text after a closing quote)"
        case .otherEncoding: "line 1: \(problem)"
        case .fieldTooLong(let line, _), .recordTooLong(let line): "line \(line): \(problem)"
        case .cannotOpen(let path, let reason): "cannot open \(path): \(reason)"
        case .readFailed(let path, let reason): "cannot read \(path): \(reason)"
        }
    }
}
