public import TariffCore

/// Imports an ECB reference-rate XML or a `date,base,quote,rate` CSV: all rates or none.
public struct ExchangeRateImporter: Sendable {
    let store: any TariffStore
    let reference: ReferenceData

    public init(store: any TariffStore, reference: ReferenceData) {
        self.store = store
        self.reference = reference
    }

    public struct Outcome: Sendable {
        public let format: String
        public let rates: [ExchangeRate]
    }

    public func importFile(path: String, displayName: String? = nil, now: Instant, dryRun: Bool = false) async throws -> Outcome {
        let name = displayName ?? path
        let parsed: (format: String, rates: [ParsedRate])
        do { parsed = try ExchangeRateFile.detectAndParse(path: path) } catch {
            throw ImportFailure(
                file: name,
                problems: error.problems.map { problem in
                    switch problem {
                    case .problem(let line, let message): ImportProblem(file: name, line: line, column: "-", message: message)
                    case .unreadable(let reason): ImportProblem(file: name, line: 0, column: "-", message: reason)
                    }
                }
            )
        }
        var problems: [ImportProblem] = []
        var rates: [ExchangeRate] = []
        let source = parsed.format == ExchangeRateFile.ecbFormat ? "ECB" : name
        for row in parsed.rates {
            guard let base = reference.currencies.known(row.base) else {
                problems.append(ImportProblem(file: name, line: row.line, column: "base", message: "unknown currency '\(row.base)'"))
                continue
            }
            guard let quote = reference.currencies.known(row.quote) else {
                problems.append(ImportProblem(file: name, line: row.line, column: "quote", message: "unknown currency '\(row.quote)'"))
                continue
            }
            do {
                rates.append(
                    ExchangeRate(
                        date: try Instant(parsing: row.date),
                        base: base,
                        quote: quote,
                        rate: try RateValue(parsing: row.rate),
                        source: source
                    )
                )
            } catch {
                problems.append(ImportProblem(file: name, line: row.line, column: "rate", message: "\(error)"))
            }
        }
        guard problems.isEmpty else { throw ImportFailure(file: name, problems: problems) }
        if !dryRun { _ = try await store.exchangeRates.store(rates, importedAt: now) }
        return Outcome(format: parsed.format, rates: rates)
    }
}
