import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import TariffCore
import TariffStore

/// The native API's reads of an account's money: `GET /v1/balance`, `GET /v1/transactions`
/// (filtered, paged by a cursor, JSON or CSV) and `GET /v1/transactions/{id}`.
struct NativeLedgerController<Context: RequestContext> {
    let state: LiveState

    static var maxLimit: Int { 1000 }

    func addRoutes(to group: RouterGroup<Context>) {
        group.get("balance") { request, _ in try await balance(request) }
        group.get("transactions") { request, _ in try await transactions(request) }
        group.get("transactions/:id") { request, context in try await transaction(request, id: try context.parameters.require("id")) }
    }

    struct PageBody: Encodable {
        let transactions: [TransactionRecord]
        let totalCount: Int
        /// Pass as `cursor` for the next page; absent on the last one.
        let nextCursor: String?
    }

    func balance(_ request: Request) async throws -> Response {
        let account = try await NativeAuth.account(request, state: state)
        guard let money = try await state.store.ledger.balance(accountID: account.id) else { throw NativeError.credentialsRefused() }
        return try NativeEncoding.json(BalanceRecord(money))
    }

    func transactions(_ request: Request) async throws -> Response {
        let account = try await NativeAuth.account(request, state: state)
        let parameters = request.uri.queryParameters
        var query = TransactionQuery(accountID: account.id, limit: 100)
        if let text = parameters.get("limit") {
            guard let limit = Int(text), (1...Self.maxLimit).contains(limit) else {
                throw NativeError.badRequest("limit: a whole number from 1 to \(Self.maxLimit)")
            }
            query.limit = limit
        }
        if let text = parameters.get("cursor") {
            guard let after = Int64(text), after >= 0 else { throw NativeError.badRequest("cursor: the next_cursor of an earlier page") }
            query.afterID = after
        }
        if let order = parameters.get("order") {
            guard order == "asc" || order == "desc" else { throw NativeError.badRequest("order: asc or desc") }
            query.descending = order == "desc"
        }
        let types = parameters.getAll("type").flatMap { $0.split(separator: ",").map(String.init) }
        if !types.isEmpty {
            query.types = Set(
                try types.map { name in
                    guard let type = TransactionType(rawValue: name) else {
                        throw NativeError.badRequest(
                            "type: '\(name)' is not one of \(TransactionType.allCases.map(\.rawValue).joined(separator: ", "))"
                        )
                    }
                    return type
                }
            )
        }
        for (name, keyPath) in [("from", \TransactionQuery.from), ("until", \TransactionQuery.until)] {
            guard let text = parameters.get(name) else { continue }
            do { query[keyPath: keyPath] = try Instant(parsing: text) } catch { throw NativeError.badRequest("\(name): \(error)") }
        }
        let page = try await state.store.ledger.transactions(query)
        let last = page.transactions.count == query.limit ? page.transactions.last.map { String($0.id) } : nil
        if NativeEncoding.wantsCSV(request) {
            var headers: HTTPFields = [.contentType: "text/csv; charset=utf-8"]
            if let last, let link = HTTPField.Name("Link") { headers[link] = "<?\(Self.nextQuery(request.uri.query, cursor: last))>; rel=\"next\"" }
            let text = TransactionCSV.header + page.transactions.map(TransactionCSV.line).joined()
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        }
        return try NativeEncoding.json(
            PageBody(transactions: page.transactions.map(TransactionRecord.init), totalCount: page.totalCount, nextCursor: last)
        )
    }

    /// The request's own query (filters, order, limit; as sent, still percent-encoded) with the
    /// next page's cursor in place of its own.
    static func nextQuery(_ query: String?, cursor: String) -> String {
        let kept = (query ?? "").split(separator: "&").filter { !$0.hasPrefix("cursor=") && $0 != "cursor" }
        return (kept + ["cursor=\(cursor)"[...]]).joined(separator: "&")
    }

    func transaction(_ request: Request, id text: String) async throws -> Response {
        let account = try await NativeAuth.account(request, state: state)
        guard let id = Int64(text), id > 0 else { throw NativeError.notFound("no transaction '\(text)'") }
        // Another account's transaction is as unknown as one that does not exist.
        let page = try await state.store.ledger.transactions(TransactionQuery(accountID: account.id, ids: [id], limit: 1))
        guard let found = page.transactions.first else { throw NativeError.notFound("no transaction \(id)") }
        return try NativeEncoding.json(TransactionRecord(found))
    }
}
