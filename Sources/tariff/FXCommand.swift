import ArgumentParser
import TariffCore
import TariffStore

struct FXCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fx",
        abstract: "Exchange rates: import ECB reference rates or a CSV, list them.",
        subcommands: [Import.self, List.self]
    )

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import the ECB euro reference XML (daily or historical) or a date,base,quote,rate CSV."
        )

        @Argument(help: "The file.")
        var file: String

        @Flag(help: "Validate only; store nothing.")
        var dryRun = false

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            do {
                let outcome = try await withStore(global) { store in
                    let reference = try await store.reference.tables().compile()
                    let outcome = try await ExchangeRateImporter(store: store, reference: reference)
                        .importFile(path: file, now: try global.now(), dryRun: dryRun)
                    if !dryRun {
                        await audit(
                            store,
                            global,
                            "exchange_rates.import",
                            target: "exchange_rates",
                            detail: "\(outcome.format) from \(file), \(outcome.rates.count) rates"
                        )
                    }
                    return outcome
                }
                let days = Set(outcome.rates.map(\.date)).sorted()
                let span = days.first.map { first in first == days.last ? first.date : "\(first.date) to \(days.last!.date)" } ?? "-"
                print(
                    "\(dryRun ? "dry run: would import" : "imported") \(outcome.rates.count) rates (\(outcome.format)) for \(days.count) day(s), \(span)"
                )
            } catch let failure as ImportFailure {
                throw fail(failure)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the rates in force on a day (default today), latest per pair.")

        @Option(help: "The day (YYYY-MM-DD).")
        var date: String?

        @Option(help: "Also show cross rates from this currency to every other.")
        var base: String?

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let day: Instant
            do { day = try date.map { try Instant(parsing: $0) } ?? global.now() } catch { throw ValidationError("--date: \(error)") }
            let rates = try await withStore(global) { try await $0.exchangeRates.all() }
            let fx = ExchangeRateTable(rates: rates, asOf: day)
            guard !fx.isEmpty else {
                print("no exchange rates on or before \(day.date): tariff fx import FILE")
                return
            }
            if let base {
                guard let code = CurrencyCode(base) else { throw ValidationError("--base '\(base)' is not an ISO 4217 code") }
                let rows = fx.currencies.sorted().filter { $0 != code }.compactMap { quote in
                    fx.rate(from: code, to: quote).map { ["1 \(code)", "= \($0.plainText) \(quote)"] }
                }
                print(table(rows))
                return
            }
            print(
                table(
                    fx.rates.map { [$0.date.date, $0.base.rawValue, $0.quote.rawValue, $0.rate.description, $0.source] },
                    header: ["date", "base", "quote", "rate", "source"]
                )
            )
        }
    }
}
