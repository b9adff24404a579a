import ArgumentParser
import Foundation
import TariffCore
import TariffStore

struct UsageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "usage",
        abstract: "Charge usage records (CDRs) to an account's ledger.",
        subcommands: [Import.self]
    )

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Charge a file of usage records: each rated when it occurred and charged once, whatever reruns.",
            discussion: """
                CSV (a header naming id, product, to, from, seconds, messages, occurred_at) or NDJSON / a JSON array of \
                {"id", "product", "to", "from", "seconds" | "messages", "occurred_at"}. Records are charged in order; \
                a record already charged (same id, same content) is not charged again, so a file can be imported twice. \
                A bad record is reported as FILE:LINE and does not stop the others; the exit code is then 1.
                """
        )

        @Argument(help: "The CSV or NDJSON file.") var file: String
        @Option(help: "The account charged.") var account: Int64
        @Option(help: "csv or json (default: from the file's first character).") var format: UsageFileFormat?
        @Flag(help: "Print the summary as JSON.") var json = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let now = try global.now()
            let progress = ProgressBar(label: "charging \(file)")
            let tally = try await withStore(global) { store in
                guard let account = try await store.accounts.account(id: account) else { throw ValidationError("no account \(account)") }
                let reference = try await store.reference.tables().compile()
                let book = try await StoredPlanVersion.priced(
                    try await RateBookLoader.loadUsingFile(store: store, reference: reference, logger: global.logger),
                    through: try await store.plans.schedule(forAccount: account.id, reference: reference),
                    store: store,
                    reference: reference
                )
                let exchange = ExchangeRateHistory(rates: try await store.exchangeRates.all(), now: now)
                var reader = try UsageFileReader(path: file, format: format)
                var tally = UsageTally()
                // The next chunk is read and rated while the previous one commits.
                var committing: (task: Task<[PostingOutcome], any Error>, lines: [Int])?
                while let chunk = try reader.next(count: 5000) {
                    var postings: [LedgerPosting] = []
                    var lines: [Int] = []
                    let records = chunk.map { _, fields in
                        Result { () throws(UsageProblem) in try UsageRecord(validating: try fields.get(), now: now) }
                    }
                    let priced = try await UsagePricing.postings(
                        for: records,
                        account: account,
                        book: book,
                        exchange: exchange,
                        numbers: store.numbers,
                        subscriptions: store.serviceSubscriptions,
                        now: now
                    )
                    for ((line, _), result) in zip(chunk, priced) {
                        switch result {
                        case .success(let posting):
                            postings.append(posting)
                            lines.append(line)
                        case .failure(let problem): tally.refuse(line: line, problem: problem)
                        }
                    }
                    if let previous = committing {
                        for (line, outcome) in zip(previous.lines, try await previous.task.value) { tally.count(outcome, line: line) }
                    }
                    let batch = postings
                    committing = (Task { try await store.ledger.post(batch, now: now) }, lines)
                    progress.update(done: reader.bytesRead, total: reader.totalBytes)
                }
                if let previous = committing {
                    for (line, outcome) in zip(previous.lines, try await previous.task.value) { tally.count(outcome, line: line) }
                }
                return tally
            }
            progress.finish()
            for problem in tally.problems.sorted(by: { $0.line < $1.line }) { printError("\(file):\(problem.line): \(problem.text)") }
            if tally.problemsLeftOut > 0 { printError("… and \(tally.problemsLeftOut) more refused records") }
            if json {
                printJSON(tally.summary)
            } else {
                print("\(file): \(tally.charged) charged (\(tally.total.plainText)), \(tally.repeated) already charged, \(tally.refused) refused")
            }
            if tally.refused > 0 { throw ExitCode(1) }
        }
    }
}

enum UsageFileFormat: String, ExpressibleByArgument { case csv, json }

/// What an import did, counted as it goes; the first problems are kept for the report.
struct UsageTally {
    var charged = 0
    var repeated = 0
    var refused = 0
    var total = Amount.zero
    /// The first refused records, by line.
    var problems: [(line: Int, text: String)] = []
    var problemsLeftOut = 0

    mutating func count(_ outcome: PostingOutcome, line: Int) {
        switch outcome {
        case .posted(let transaction):
            charged += 1
            // A file's charges are bounded by its records' ranges; a total beyond 64 bits is reported, not wrapped.
            total = (try? total + Amount(units: -transaction.amount.units)) ?? total
        case .repeated: repeated += 1
        case .refused(let error): refuse(line: line, problem: UsageProblem(refusal: error))
        }
    }

    mutating func refuse(line: Int, problem: UsageProblem) {
        refused += 1
        if problems.count < 100 { problems.append((line, problem.description)) } else { problemsLeftOut += 1 }
    }

    struct Summary: Encodable {
        let charged: Int
        let alreadyCharged: Int
        let refused: Int
        let total: String
    }

    var summary: Summary { Summary(charged: charged, alreadyCharged: repeated, refused: refused, total: total.plainText) }
}

/// Reads usage records from a CSV or JSON file, a chunk at a time, each with its line.
struct UsageFileReader {
    private enum Source {
        case csv(CSVReader, UsageFields.CSVColumns)
        case json(FileHandle, JSONRecordSplitter, done: Bool)
    }
    private var source: Source
    private var pending: [JSONRecordSplitter.Piece] = []
    private(set) var bytesRead = 0
    let totalBytes: Int?

    init(path: String, format: UsageFileFormat?) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw ValidationError("\(path): cannot be opened") }
        totalBytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
        let first = try handle.read(upToCount: 4096) ?? Data()
        let detected =
            format
            ?? (first.first(where: { !" \t\r\n".utf8.contains($0) }).map { $0 == UInt8(ascii: "{") || $0 == UInt8(ascii: "[") } == true
                ? .json : .csv)
        switch detected {
        case .csv:
            try? handle.close()
            var reader: CSVReader
            do { reader = try CSVReader(path: path) } catch { throw ValidationError("\(path): \(error)") }
            let header: CSVRecord?
            do { header = try reader.next() } catch { throw ValidationError("\(path): \(error)") }
            guard let header else { throw ValidationError("\(path): the file is empty") }
            do { source = .csv(reader, try UsageFields.CSVColumns(header: CSVReader.Header(header))) } catch {
                throw ValidationError("\(path):\(header.line): \(error)")
            }
        case .json:
            var splitter = JSONRecordSplitter()
            pending = splitter.feed(first)
            bytesRead = first.count
            source = .json(handle, splitter, done: first.isEmpty)
        }
    }

    /// Up to `count` records with their lines; nil at the end.
    mutating func next(count: Int) throws -> [(Int, Result<UsageFields, UsageProblem>)]? {
        var chunk: [(Int, Result<UsageFields, UsageProblem>)] = []
        switch source {
        case .csv(var reader, let columns):
            while chunk.count < count {
                let record: CSVRecord?
                do { record = try reader.next() } catch {
                    guard let line = error.line else { throw ValidationError("\(error)") }
                    chunk.append((line, .failure(.invalid(error.problem))))
                    continue
                }
                guard let record else { break }
                chunk.append((record.line, Result { () throws(UsageProblem) in try UsageFields(csv: record, columns: columns) }))
            }
            bytesRead = reader.bytesRead
            source = .csv(reader, columns)
        case .json(let handle, var splitter, var done):
            while pending.count < count, !done {
                let data = try handle.read(upToCount: 1 << 20) ?? Data()
                bytesRead += data.count
                if data.isEmpty {
                    done = true
                    pending += splitter.finish()
                } else {
                    pending += splitter.feed(data)
                }
            }
            source = .json(handle, splitter, done: done)
            for piece in pending.prefix(count) {
                if let problem = piece.problem {
                    chunk.append((piece.line, .failure(.invalid(problem))))
                } else if let fields = try? UsageFields.decoded(json: piece.bytes) {
                    chunk.append((piece.line, .success(fields)))
                } else {
                    chunk.append((piece.line, .failure(.invalid(UsageFields.notARecord))))
                }
            }
            pending.removeFirst(min(count, pending.count))
        }
        return chunk.isEmpty ? nil : chunk
    }
}
