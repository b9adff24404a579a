import ArgumentParser
import Foundation
import Logging
import TariffStore

/// Moves an embedded install up to PostgreSQL in one command.
struct CopyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy everything in a SQLite database into an empty PostgreSQL database, and verify it.",
        discussion: """
            Reference data, every deck version, exchange rates, accounts, keys, service keys, the \
            ledger and subscriptions are copied as one snapshot of the source, in one transaction on \
            the target: a copy that fails leaves the target as it was. Row counts and, for every \
            account, Σ ledger = balance are checked on the target before it commits. A target that \
            holds anything but reference data is refused. Exit status: 0 copied, 1 refused or failed, \
            64 wrong arguments, 66 no source file.
            """
    )

    @Option(help: "The SQLite database file to copy.")
    var from: String

    @Option(help: "The PostgreSQL database to fill: postgres://USER:PASSWORD@HOST:PORT/DATABASE.")
    var to: String

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .warning

    func run() async throws {
        let source: String
        let target: PostgresAddress
        do {
            let from = try StoreLocation(option: self.from, environment: [:])
            let to = try StoreLocation(option: self.to, environment: [:])
            guard let path = from.sqlitePath, case .postgres(let address) = to.engine else {
                printError("tariff: copy moves a SQLite file onto PostgreSQL: --from FILE --to postgres://USER:PASSWORD@HOST:PORT/DATABASE")
                throw ExitCode(64)
            }
            source = path
            target = address
        } catch let error as LocationError {
            printError("tariff: \(error)")
            throw ExitCode(64)
        }
        var logger = Logger(label: "tariff")
        logger.logLevel = logLevel
        let started = ContinuousClock.now
        let report: CopyReport
        do {
            report = try await StoreCopy.copy(from: source, to: target, logger: logger) { table in
                print("\(table.name): \(table.rows) rows in \(String(format: "%.2f", table.seconds)) s")
            }
        } catch let failure as CopyFailure {
            printError("tariff: \(failure)")
            if case .sourceMissing = failure { throw ExitCode(66) }
            throw ExitCode(1)
        }
        let rows = report.tables.reduce(0) { $0 + $1.rows }
        let seconds = (ContinuousClock.now - started).components.seconds
        print(
            "copied \(rows) rows from \(source) to \(target) in \(seconds) s; counts verified, Σ ledger = balance for \(report.balancedAccounts) accounts"
        )
    }
}
