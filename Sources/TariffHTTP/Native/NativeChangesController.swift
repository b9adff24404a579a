import Foundation
import Hummingbird
import NIOCore
import TariffCore

/// `GET /v1/changes?since=VERSION|TIME[&product=P][&country=CC][&limit=&offset=]`: every price
/// that starts, rises, falls, closes or changes its terms after deck version VERSION, or takes
/// effect at or after TIME, with the price before and after, in the account's currency (at the
/// exchange rate in force now), by the date they take effect. Read from the book in memory: one
/// deck version answers the whole request. JSON pages; CSV (`Accept: text/csv`) streams the whole feed.
struct NativeChangesController<Context: RequestContext> {
    let state: LiveState

    func addRoutes(to group: RouterGroup<Context>) {
        group.get("changes") { request, _ in try await changes(request) }
    }

    func changes(_ request: Request) async throws -> Response {
        let account = try await NativeAuth.account(request, state: state)
        let query = request.uri.queryParameters
        let book = state.book(for: account)
        let filter: ChangeFilter
        do {
            filter = try ChangeFilter(
                since: query.get("since"),
                product: query.get("product"),
                country: query.get("country"),
                reference: book.reference
            )
        } catch {
            throw NativeError.badRequest(error.description)
        }
        let fx = state.exchangeRates
        let target = account.currency
        let changes = book.changes(filter)
        do { try PriceChangeRecord.checkConvertible(changes, to: target, fx: fx) } catch { throw NativeError.cannotConvert("\(error)") }
        if NativeEncoding.wantsCSV(request) {
            return Response(
                status: .ok,
                headers: [.contentType: "text/csv; charset=utf-8"],
                body: ResponseBody { writer in
                    var text = PriceChangeRecord.csvHeader
                    for change in changes {
                        text += try PriceChangeRecord(change, currency: target, fx: fx).csvLine
                        if text.utf8.count >= Self.flushBytes {
                            try await writer.write(ByteBuffer(string: text))
                            text = ""
                        }
                    }
                    try await writer.write(ByteBuffer(string: text))
                    try await writer.finish(nil)
                }
            )
        }
        let (limit, offset) = try NativeNumbersController<Context>.page(request)
        let page = try changes.dropFirst(min(offset, changes.count)).prefix(limit).map { change throws(ConversionError) in
            try PriceChangeRecord(change, currency: target, fx: fx)
        }
        return try NativeEncoding.json(
            Feed(since: filter.since.description, deckVersion: book.version, currency: target.rawValue, changes: page, totalCount: changes.count)
        )
    }

    /// How much CSV is gathered before it is written: a million changes never sit in one string.
    static var flushBytes: Int { 256 * 1024 }

    struct Feed: Encodable {
        let since: String
        let deckVersion: Int64
        let currency: String
        let changes: [PriceChangeRecord]
        let totalCount: Int
    }
}
