import Foundation
import Hummingbird
import NIOCore
import TariffCore

/// `POST /v1/prices:bulk?product=P[&from=NUMBER|COUNTRY][&at=T][&summary=only]`: a list of
/// numbers (CSV, one per line or under a `number` header; or NDJSON `{"number": ...}`) priced
/// in the account's currency, one answer line per number in order, written while the body is
/// still arriving: constant memory whatever the size. The input's format is its `Content-Type`
/// (`text/csv`, `application/x-ndjson`) or else its first line; the answer's is `Accept`'s,
/// else the declared input's, else CSV. An NDJSON answer ends with
/// one `{"summary": ...}` line; `summary=only` answers the summary alone, as JSON.
struct NativeBulkPriceController<Context: RequestContext> {
    let state: LiveState

    func addRoutes(to group: RouterGroup<Context>) {
        group.post("prices:bulk") { request, _ in try await bulk(request) }
    }

    func bulk(_ request: Request) async throws -> Response {
        let account = try await NativeAuth.account(request, state: state)
        let query = request.uri.queryParameters
        guard let name = query.get("product") else {
            throw NativeError.badRequest("product: voice, sms, voice-outbound, sms-outbound, voice-inbound or sms-inbound")
        }
        guard let product = Product(apiName: name) else {
            throw NativeError.badRequest(
                "product '\(name)': voice, sms, voice-outbound, sms-outbound, voice-inbound or sms-inbound (metered products have no numbers)"
            )
        }
        let origin = try NativePriceController<Context>.origin(query.get("from"), state: state)
        let instant: Instant
        do { instant = try query.get("at").map { try Instant(parsing: $0) } ?? state.now() } catch { throw NativeError.badRequest("at: \(error)") }
        let summaryOnly: Bool
        switch query.get("summary") {
        case nil: summaryOnly = false
        case "only": summaryOnly = true
        case let other?: throw NativeError.badRequest("summary: 'only' (or leave it out), not '\(other)'")
        }
        let input = Self.format(request.headers[.contentType])
        let output = summaryOnly ? nil : Self.format(request.headers[.accept])
        // One book for the whole request: a deck published meanwhile does not change prices mid-file.
        let pricer = BulkPricer(
            book: state.book(for: account),
            product: product,
            origin: origin,
            at: instant,
            currency: account.currency,
            fx: state.exchangeRates
        )
        let body = request.body
        if summaryOnly {
            var run = BulkPricing(pricer: pricer, input: input)
            var discarded: [UInt8] = []
            for try await buffer in body {
                buffer.withUnsafeReadableBytes { run.feed($0, into: &discarded) }
                discarded.removeAll(keepingCapacity: true)
            }
            run.finish(into: &discarded)
            return Response(
                status: .ok,
                headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: run.summary.json + "\n"))
            )
        }
        // The answer's format is known before its first byte: as asked, else the declared
        // input's, else CSV (an undeclared input is still read as NDJSON when it starts with `{`).
        let format = output ?? input ?? .csv
        return Response(
            status: .ok,
            headers: [.contentType: Self.contentType(format)],
            body: ResponseBody { writer in
                var run = BulkPricing(pricer: pricer, input: input, output: format)
                var answer: [UInt8] = []
                answer.reserveCapacity(Self.gatherBytes * 8)
                var gathered: [UInt8] = []
                // One batch is priced while the body's next bytes are read and the answer to
                // the batch before is written: two batches in memory at most.
                var pricing: Task<BulkPricing.PricedBatch, Never>?
                defer { pricing?.cancel() }
                func price(_ batch: BulkPricing.Batch) async throws {
                    let priced = await pricing?.value
                    pricing = Task { await BulkPricing.price(batch, pricer: pricer, format: format, workers: Self.workers) }
                    guard let priced else { return }
                    run.append(priced, into: &answer)
                    try await writer.write(ByteBuffer(bytes: answer))
                    answer.removeAll(keepingCapacity: true)
                }
                for try await buffer in body {
                    gathered.append(contentsOf: buffer.readableBytesView)
                    guard gathered.count >= Self.gatherBytes else { continue }
                    try await price(run.lines(of: gathered))
                    gathered.removeAll(keepingCapacity: true)
                }
                try await price(run.lines(of: gathered))
                try await price(run.lastLines())
                if let last = await pricing?.value { run.append(last, into: &answer) }
                pricing = nil
                if run.outputFormat == .ndjson { answer.append(contentsOf: ("{\"summary\":" + run.summary.json + "}\n").utf8) }
                try await writer.write(ByteBuffer(bytes: answer))
                try await writer.finish(nil)
            }
        )
    }

    /// A large upload's chunks are priced on every core; a small one's on one (``BulkPricing/minimumSlice``).
    static var workers: Int { System.coreCount }
    /// Network chunks are gathered to this size before they are priced, so that a large upload
    /// has slices enough for every core.
    static var gatherBytes: Int { 512 * 1024 }

    /// The format a `Content-Type` or `Accept` names; nil for none or anything else.
    static func format(_ header: String?) -> BulkPricing.Format? {
        guard let header = header?.lowercased() else { return nil }
        if header.contains("text/csv") { return .csv }
        if header.contains("ndjson") || header.contains("jsonl") || header.contains("application/json") { return .ndjson }
        return nil
    }

    static func contentType(_ format: BulkPricing.Format) -> String {
        switch format {
        case .csv: "text/csv; charset=utf-8"
        case .ndjson: "application/x-ndjson"
        }
    }
}
