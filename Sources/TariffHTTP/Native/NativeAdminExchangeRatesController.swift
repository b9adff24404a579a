import Foundation
import Hummingbird
import Logging
import TariffCore
import TariffStore

/// `POST /v1/admin/exchange-rates[?dry_run=true]`: an ECB reference-rate XML or a
/// `date,base,quote,rate` CSV as the body (told apart by its first character), imported as
/// `tariff fx import` does: all rates or none; problems at their lines (`body:LINE`).
struct NativeAdminExchangeRatesController<Context: RequestContext> {
    let state: LiveState
    /// An ECB history file of every day since 1999 is about 7 MB.
    static var maxBodyBytes: Int { 64 << 20 }

    func addRoutes(to group: RouterGroup<Context>) {
        group.post("admin/exchange-rates") { request, _ in try await upload(request) }
    }

    struct Report: Encodable {
        let format: String
        let rates: Int
        /// The first and last day the rates are for; absent when there are none.
        let firstDay: String?
        let lastDay: String?
        let dryRun: Bool
    }

    func upload(_ request: Request) async throws -> Response {
        let token = try await NativeAuth.operator(request, state: state)
        let dryRun = try UploadSpool.flag(request.uri.queryParameters.get("dry_run"), name: "dry_run")
        let file = try await UploadSpool.file(request.body, upTo: Self.maxBodyBytes)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let outcome: ExchangeRateImporter.Outcome
        do {
            outcome = try await ExchangeRateImporter(store: state.store, reference: state.reference)
                .importFile(path: file, displayName: "body", now: state.now(), dryRun: dryRun)
        } catch let failure as ImportFailure {
            throw NativeError.importRefused(failure)
        }
        if !dryRun { state.reloadTrigger.fire() }
        state.logger.notice(
            "exchange rates uploaded",
            metadata: ["operator": "\(token.id)", "rates": "\(outcome.rates.count)", "dry_run": "\(dryRun)"]
        )
        let days = outcome.rates.map(\.date).sorted()
        if !dryRun {
            let span = days.first.map { first in "\(first.date) to \(days.last?.date ?? first.date)" } ?? "no days"
            await state.audit(
                token,
                "exchange_rates.import",
                target: "exchange_rates",
                detail: "\(outcome.format), \(outcome.rates.count) rates, \(span)"
            )
        }
        let report = Report(
            format: outcome.format,
            rates: outcome.rates.count,
            firstDay: days.first?.date,
            lastDay: days.last?.date,
            dryRun: dryRun
        )
        return try NativeEncoding.json(report, status: dryRun ? .ok : .created)
    }
}
