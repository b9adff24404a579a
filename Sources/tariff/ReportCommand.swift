import ArgumentParser
import TariffCore
import TariffHTTP
import TariffStore

/// `tariff report`: what the ledger adds up to.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Reports from the ledger.",
        subcommands: [Margin.self]
    )

    struct Margin: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revenue, cost and margin of the usage charged through price plans, by account, country or product.",
            discussion: """
                A charge priced through a plan records the deck's price (the cost) beside the account's; the report \
                adds both up exactly, per group and currency, with a total per currency. The same report as \
                GET /v1/admin/reports/margin.
                """
        )

        @Option(help: "account, country or product.")
        var by: String = MarginGrouping.account.rawValue

        @Option(help: "Only charges performed at or after this instant (ISO 8601).")
        var from: String?

        @Option(help: "Only charges performed before this instant (ISO 8601).")
        var to: String?

        @Option(help: "table, csv or json.")
        var format: Format = .table

        @OptionGroup var global: GlobalOptions

        enum Format: String, ExpressibleByArgument { case table, csv, json }

        func run() async throws {
            let query: MarginQuery
            do { query = try MarginQuery(by: by, from: from, to: to) } catch { throw ValidationError("--\(error.parameter): \(error.reason)") }
            let lines = try await withStore(global) { store in try await store.ledger.margin(query) }
            let report = MarginReportRecord(query, lines: lines)
            switch format {
            case .json: printJSON(report)
            case .csv: print(report.csv, terminator: "")
            case .table:
                guard !lines.isEmpty else { return print("no charges priced through a price plan") }
                print(table(report.rows, header: [query.by.rawValue] + MarginReportRecord.csvHeader.dropFirst()))
            }
        }
    }
}
