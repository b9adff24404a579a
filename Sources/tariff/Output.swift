import ArgumentParser
import Foundation
import TariffCore

/// Prints a value as pretty, key-sorted JSON with snake_case keys.
func printJSON(_ value: some Encodable) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.keyEncodingStrategy = .convertToSnakeCase
    do {
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    } catch {
        printError("could not encode output: \(error)")
    }
}

/// Left-aligned columns for terminal tables.
func table(_ rows: [[String]], header: [String]? = nil) -> String {
    let all = (header.map { [$0] } ?? []) + rows
    guard let columns = all.map(\.count).max() else { return "" }
    var widths = Array(repeating: 0, count: columns)
    for row in all { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
    return all.map { row in
        row.enumerated().map { i, cell in
            i == row.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
        }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
    }.joined(separator: "\n")
}

/// The file `--output` names, created (emptied) for writing; standard output when none.
///
/// Opened where it is, never written beside and renamed over it (as `FileManager.createFile`
/// does): `-o /dev/null` run as root had replaced the device with a plain file, and a named
/// pipe or a hard link must stay what it is.
func outputHandle(_ path: String?, option: String = "--output") throws -> FileHandle {
    guard let path else { return FileHandle.standardOutput }
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { throw ValidationError("\(option): cannot create \(path): \(String(cString: strerror(errno)))") }
    return FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
}

/// The `--currency` option, checked: an ISO 4217 code, or nil when not given.
func currencyOption(_ text: String?) throws -> CurrencyCode? {
    guard let text else { return nil }
    guard let code = CurrencyCode(text) else { throw ValidationError("--currency '\(text)' is not an ISO 4217 code") }
    return code
}
