import Foundation
import Hummingbird
import Logging
import NIOCore
import TariffCore
import TariffStore

/// `POST /v1/admin/decks`: a deck uploaded as the request body, imported as `tariff import`
/// does, all rows or none. The query takes the command's options: `kind` (rates, carrier,
/// numbers, templates or inventory), `product`, `currency`, `origin`, `effective_from`,
/// `partial=true`, `dry_run=true` (the change summary and every problem, nothing stored).
/// The body goes to a temporary file as it arrives, never whole into memory: a carrier deck
/// runs to a million rows. Problems come back as `body:LINE: column: problem`.
struct NativeAdminDecksController<Context: RequestContext> {
    let state: LiveState
    /// The largest body taken; a carrier deck of a million rows is about 100 MB.
    var maxBodyBytes = 1 << 30

    func addRoutes(to group: RouterGroup<Context>) {
        group.post("admin/decks") { request, _ in try await upload(request) }
    }

    enum Kind: String, CaseIterable {
        case rates, carrier, numbers, templates, inventory
    }

    func upload(_ request: Request) async throws -> Response {
        let token = try await NativeAuth.operator(request, state: state)
        let query = request.uri.queryParameters
        let kind = try Self.choice(query.get("kind"), name: "kind") ?? Kind.rates
        let dryRun = try UploadSpool.flag(query.get("dry_run"), name: "dry_run")
        var options = DeckOptions(
            kind: DeckKind(rawValue: kind.rawValue) ?? .rates,
            product: try Self.choice(query.get("product"), name: "product"),
            origin: try Self.choice(query.get("origin"), name: "origin"),
            partial: try UploadSpool.flag(query.get("partial"), name: "partial"),
            now: state.now()
        )
        if let text = query.get("currency") {
            guard let code = CurrencyCode(text) else { throw NativeError.badRequest("currency: '\(text)' is not an ISO 4217 code") }
            options.currency = code
        }
        if let text = query.get("effective_from") {
            do { options.effectiveFrom = try Instant(parsing: text) } catch { throw NativeError.badRequest("effective_from: \(error)") }
        }
        let file = try await UploadSpool.file(request.body, upTo: maxBodyBytes)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let started = ContinuousClock.now
        do {
            let rows: Int
            let answer: Response
            if kind == .inventory {
                let report = try await StockImporter(store: state.store, reference: state.reference)
                    .importFile(path: file, displayName: "body", dryRun: dryRun, now: options.now)
                rows = report.rows
                answer = try NativeEncoding.json(report, status: dryRun ? .ok : .created)
            } else {
                let outcome = try await DeckImporter(store: state.store, reference: state.reference, logger: state.logger)
                    .importFile(path: file, displayName: "body", options: options, dryRun: dryRun)
                rows = outcome.rowCount
                answer = try NativeEncoding.json(ImportReport(outcome: outcome, dryRun: dryRun), status: dryRun ? .ok : .created)
            }
            if !dryRun {
                state.metrics.imported(rows: rows, duration: ContinuousClock.now - started)
                // This node serves it at once; the others hear of it from the store.
                state.reloadTrigger.fire()
            }
            state.logger.notice(
                "deck uploaded",
                metadata: ["operator": "\(token.id)", "kind": "\(kind.rawValue)", "rows": "\(rows)", "dry_run": "\(dryRun)"]
            )
            return answer
        } catch let failure as ImportFailure {
            throw NativeError.importRefused(failure)
        }
    }

    /// The named case, nil when the parameter is absent, a 400 listing the cases otherwise.
    static func choice<Value: RawRepresentable & CaseIterable>(_ text: String?, name: String) throws -> Value?
    where Value.RawValue == String {
        guard let text else { return nil }
        guard let found = Value(rawValue: text) else {
            throw NativeError.badRequest("\(name): one of \(Value.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return found
    }
}
