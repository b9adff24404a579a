public import ArgumentParser
import Foundation
import Logging
import TariffCore
import TariffStore

/// Options every command shares: which database, how much to log.
struct GlobalOptions: ParsableArguments {
    @Option(help: "SQLite database file or postgres://USER:PASSWORD@HOST:PORT/DATABASE (default ./tariff.sqlite, or TARIFF_DATABASE).")
    var database: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .warning

    var logger: Logger {
        var logger = Logger(label: "tariff")
        logger.logLevel = logLevel
        return logger
    }

    /// The command's clock. TARIFF_NOW (an ISO 8601 date) fixes it, for reproducible runs and tests.
    func now() throws -> Instant {
        if let fixed = ProcessInfo.processInfo.environment["TARIFF_NOW"], !fixed.isEmpty {
            return try Instant(parsing: fixed)
        }
        return .now()
    }

    /// Where the data is: parsed from `--database` and the environment, once per command.
    /// A location that cannot be used is a usage error: one line, exit 64.
    func location() throws -> StoreLocation {
        do {
            return try StoreLocation(option: database)
        } catch {
            printError("tariff: \(error)")
            throw ExitCode(64)
        }
    }

    func openStore() async throws -> any TariffStore {
        try await openStore(at: try location())
    }

    func openStore(at location: StoreLocation) async throws -> any TariffStore {
        try await location.open(logger: logger, now: try now()) { printError("tariff: \($0)") }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

/// Runs `body` with the store, closing it afterwards, and turns known errors into clean exits.
func withStore<T>(_ options: GlobalOptions, _ body: (any TariffStore) async throws -> T) async throws -> T {
    let store = try await options.openStore()
    do {
        let result = try await body(store)
        try await store.close()
        return result
    } catch {
        try? await store.close()
        throw error
    }
}

/// A failure already explained to the user on standard error.
struct ReportedFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Prints import problems and fails with exit code 1.
func fail(_ failure: ImportFailure) -> ExitCode {
    printError(failure.description)
    return ExitCode(1)
}
