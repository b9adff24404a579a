import Hummingbird
import TariffCore
import TariffStore

/// `GET /v1/admin/reports/margin?by=account|country|product[&from=T][&to=T]`, behind an
/// operator token: revenue, cost and margin of the usage charged through price plans (CSV with
/// `Accept: text/csv`).
struct NativeAdminReportsController<Context: RequestContext> {
    let state: LiveState

    func addRoutes(to group: RouterGroup<Context>) {
        group.get("admin/reports/margin") { request, _ in try await margin(request) }
    }

    func margin(_ request: Request) async throws -> Response {
        _ = try await NativeAuth.operator(request, state: state)
        let parameters = request.uri.queryParameters
        let by = parameters.get("by") ?? MarginGrouping.account.rawValue
        guard let grouping = MarginGrouping(rawValue: by) else {
            throw NativeError.badRequest("by: \(MarginGrouping.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var query = MarginQuery(by: grouping)
        do { query.from = try parameters.get("from").map { try Instant(parsing: $0) } } catch { throw NativeError.badRequest("from: \(error)") }
        do { query.until = try parameters.get("to").map { try Instant(parsing: $0) } } catch { throw NativeError.badRequest("to: \(error)") }
        if let start = query.from, let end = query.until, end <= start { throw NativeError.badRequest("to: must be after from") }
        let report = MarginReportRecord(query, lines: try await state.store.ledger.margin(query))
        if NativeEncoding.wantsCSV(request) {
            return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8"], body: .init(byteBuffer: .init(string: report.csv)))
        }
        return try NativeEncoding.json(report)
    }
}
