import ArgumentParser
import Foundation
import TariffCore
import TariffStore

extension PriceCommand {
    /// `tariff price --file numbers.csv -o prices.csv`: every number of a file, read and
    /// written a chunk at a time, through the same ``BulkPricing`` as `POST /v1/prices:bulk`.
    func priceFile(_ path: String, product: Product, at instant: Instant, target: CurrencyCode?) async throws {
        if number != nil { throw ValidationError("give a number or --file, not both") }
        for (name, given) in [("--seconds", seconds != nil), ("--messages", messages != nil)] where given {
            throw ValidationError("\(name) costs one number's usage; --file lists prices")
        }
        let origin = try parseOrigin()
        guard let input = FileHandle(forReadingAtPath: path) else { throw ValidationError("--file: cannot open \(path)") }
        var outputFormat: BulkPricing.Format?
        if let output {
            if output.hasSuffix(".ndjson") || output.hasSuffix(".jsonl") { outputFormat = .ndjson }
            if output.hasSuffix(".csv") { outputFormat = .csv }
        }
        let (book, fx) = try await withStore(global) { store in
            let reference = try await store.reference.tables().compile()
            return (
                try await priced(
                    try await RateBookLoader.loadUsingFile(store: store, reference: reference, logger: global.logger),
                    store,
                    reference: reference
                ),
                ExchangeRateTable(rates: try await store.exchangeRates.all(), asOf: instant)
            )
        }
        if case .country(let code) = origin, book.reference.country(code) == nil {
            throw ValidationError("--from: '\(code)' is not an ISO 3166-1 country code Tariff knows")
        }
        let sink = try outputHandle(output)
        let pricer = BulkPricer(book: book, product: product, origin: origin, at: instant, currency: target, fx: fx)
        var run = BulkPricing(pricer: pricer, output: outputFormat)
        let workers = ProcessInfo.processInfo.activeProcessorCount
        var answer: [UInt8] = []
        answer.reserveCapacity(Self.fileChunkBytes * 8)
        // One chunk is priced while the next is read and the one before is written.
        var pricing: Task<BulkPricing.PricedBatch, Never>?
        defer { pricing?.cancel() }
        while true {
            let chunk = try input.read(upToCount: Self.fileChunkBytes) ?? Data()
            let batch = chunk.isEmpty ? run.lastLines() : run.lines(of: chunk)
            let format = run.outputFormat
            let priced = await pricing?.value
            pricing = Task { await BulkPricing.price(batch, pricer: pricer, format: format, workers: workers) }
            if let priced {
                run.append(priced, into: &answer)
                try sink.write(contentsOf: answer)
                answer.removeAll(keepingCapacity: true)
            }
            if chunk.isEmpty { break }
        }
        if let last = await pricing?.value { run.append(last, into: &answer) }
        pricing = nil
        try sink.write(contentsOf: answer)
        if output != nil { try sink.close() }
        if let summary {
            let file = try outputHandle(summary, option: "--summary")
            try file.write(contentsOf: Data((run.summary.json + "\n").utf8))
            try file.close()
        }
        printError(run.summary.text())
    }

    static var fileChunkBytes: Int { 1 << 20 }
}
