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
        let query: MarginQuery
        do { query = try MarginQuery(by: parameters.get("by"), from: parameters.get("from"), to: parameters.get("to")) } catch {
            throw NativeError.badRequest(error.description)
        }
        let report = MarginReportRecord(query, lines: try await state.store.ledger.margin(query))
        if NativeEncoding.wantsCSV(request) {
            return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8"], body: .init(byteBuffer: .init(string: report.csv)))
        }
        return try NativeEncoding.json(report)
    }
}
