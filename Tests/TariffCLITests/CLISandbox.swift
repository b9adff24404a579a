import Foundation
import Testing

// MARK: - Running the built `tariff`

/// What one run of `tariff` did.
struct CLIRun: CustomStringConvertible {
    let arguments: [String]
    let status: Int32
    let stdout: String
    let stderr: String

    var description: String { "tariff \(arguments.joined(separator: " ")) exited \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }

    /// Standard output parsed as a JSON object.
    func json(sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: Data(stdout.utf8))
        return try #require(value as? [String: Any], "not a JSON object: \(self)", sourceLocation: sourceLocation)
    }

    func jsonArray(sourceLocation: SourceLocation = #_sourceLocation) throws -> [[String: Any]] {
        let value = try JSONSerialization.jsonObject(with: Data(stdout.utf8))
        return try #require(value as? [[String: Any]], "not a JSON array: \(self)", sourceLocation: sourceLocation)
    }
}

enum TariffExecutable {
    /// The `tariff` built next to the test bundle (`.build/debug/tariff`).
    static func url() throws -> URL {
        var directories: [URL] = []
        if let executable = Bundle.main.executableURL { directories.append(executable.deletingLastPathComponent()) }
        directories.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        directories.append(Bundle.main.bundleURL.deletingLastPathComponent())
        // On macOS the runner sits inside NAME.xctest/Contents/MacOS: look a few levels up too.
        var candidates: [URL] = []
        for directory in directories {
            var current = directory.standardizedFileURL
            for _ in 0..<4 {
                candidates.append(current.appendingPathComponent("tariff"))
                current = current.deletingLastPathComponent()
            }
        }
        var isDirectory: ObjCBool = false
        for candidate in candidates
        where FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory) && !isDirectory.boolValue
            && FileManager.default.isExecutableFile(atPath: candidate.path)
        {
            return candidate
        }
        Issue.record(
            """
            the tariff executable was not found next to the test bundle (looked at: \
            \(candidates.map(\.path).joined(separator: ", "))): build it with `swift build --build-tests` first
            """
        )
        throw CLITestError.missingExecutable
    }
}

enum CLITestError: Error { case missingExecutable }

/// A fresh temporary directory with its database path, and a way to run `tariff` there.
struct CLISandbox {
    static let now = "2026-11-20T00:00:00Z"
    let directory: URL
    var database: String { directory.appendingPathComponent("t.sqlite").path }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// A fresh folder inside the sandbox, to run in where the default `./tariff.sqlite` is new.
    func workingDirectory() throws -> URL {
        let url = directory.appendingPathComponent("work", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        try Data(text.utf8).write(to: directory.appendingPathComponent(name))
        return path(name)
    }

    /// Runs `tariff arguments` with `--database <tmp>/t.sqlite` (or `database`, or none when nil)
    /// and TARIFF_NOW fixed; TARIFF_DATABASE is removed from the environment unless given.
    func run(
        _ arguments: [String],
        database: String?? = .some(nil),
        workingDirectory: URL? = nil,
        environment extra: [String: String] = [:]
    ) async throws -> CLIRun {
        var arguments = arguments
        switch database {
        case .none: break
        case .some(.none): arguments += ["--database", self.database]
        case .some(.some(let other)): arguments += ["--database", other]
        }
        var environment = ProcessInfo.processInfo.environment
        environment["TARIFF_DATABASE"] = nil
        environment["TARIFF_NOW"] = Self.now
        for (name, value) in extra { environment[name] = value }

        let id = UUID().uuidString
        let outURL = directory.appendingPathComponent("stdout-\(id)")
        let errURL = directory.appendingPathComponent("stderr-\(id)")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        defer {
            try? out.close()
            try? err.close()
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }

        let process = Process()
        process.executableURL = try TariffExecutable.url()
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = workingDirectory ?? directory
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { finished in continuation.resume(returning: finished.terminationStatus) }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
        return CLIRun(
            arguments: arguments,
            status: status,
            stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self)
        )
    }

    /// Runs and requires exit status 0.
    @discardableResult
    func succeed(_ arguments: [String], database: String?? = .some(nil), sourceLocation: SourceLocation = #_sourceLocation) async throws -> CLIRun {
        let result = try await run(arguments, database: database)
        try #require(result.status == 0, "\(result)", sourceLocation: sourceLocation)
        return result
    }
}

func withSandbox(_ body: (CLISandbox) async throws -> Void) async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tariff-cli-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    try await body(CLISandbox(directory: directory))
}
