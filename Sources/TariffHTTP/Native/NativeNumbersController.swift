import Foundation
import Hummingbird
import NIOCore
import TariffCore
import TariffStore

/// Numbers through the native API, with the account's key:
/// - `GET /v1/numbers/available?country=ES&category=GEOGRAPHIC[&region=91][&prefix=3491][&limit&offset]`
/// - `POST /v1/numbers` `{"country", "category", "region"?, "number"? | "count"?}`: rents, charging
///   the installation fee and the first month with the numbers leaving stock, all or nothing.
/// - `GET /v1/numbers[?state=active,suspended,cancelled,ended][&limit&offset]`: the account's subscriptions.
/// - `DELETE /v1/numbers/{id}`: gives a number back (no refund; kept to the end of the paid period).
struct NativeNumbersController<Context: RequestContext> {
    let state: LiveState

    func addRoutes(to group: RouterGroup<Context>) {
        group.get("numbers/available") { request, _ in try await available(request) }
        group.post("numbers") { request, _ in try await rent(request) }
        group.get("numbers") { request, _ in try await list(request) }
        group.delete("numbers/:id") { request, context in try await cancel(request, id: try context.parameters.require("id")) }
    }

    /// `limit` (1 to 1000, default 100) and `offset`: the paging of the native lists.
    static func page(_ request: Request) throws -> (limit: Int, offset: Int) {
        let parameters = request.uri.queryParameters
        var limit = 100
        var offset = 0
        if let text = parameters.get("limit") {
            guard let value = Int(text), (1...1000).contains(value) else { throw NativeError.badRequest("limit: a whole number from 1 to 1000") }
            limit = value
        }
        if let text = parameters.get("offset") {
            guard let value = Int(text), (0...Int(Int32.max)).contains(value) else { throw NativeError.badRequest("offset: a whole number from 0") }
            offset = value
        }
        return (limit, offset)
    }

    struct AvailableBody: Encodable {
        struct Number: Encodable {
            let number: String
            let country: String
            let category: String
            let region: String?
            let installationFee: String?
            let monthlyFee: String?
            let currency: String
        }
        let numbers: [Number]
        let totalCount: Int
    }

    func available(_ request: Request) async throws -> Response {
        let account = try await NativeAuth.account(request, state: state)
        let parameters = request.uri.queryParameters
        let (limit, offset) = try Self.page(request)
        let filter = StockFilter(
            country: parameters.get("country")?.uppercased(),
            category: parameters.get("category")?.uppercased(),
            regionCode: parameters.get("region"),
            prefix: try parameters.get("prefix").map { text in
                let digits = text.hasPrefix("+") ? String(text.dropFirst()) : text
                guard !digits.isEmpty, digits.count <= 15, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                    throw NativeError.badRequest("prefix: digits")
                }
                return digits
            },
            limit: limit,
            offset: offset
        )
        let (numbers, total) = try await state.store.numbers.available(filter)
        let body = AvailableBody(
            numbers: numbers.map { number in
                let fees = try? state.subscriptionFees(for: number, account: account)
                return AvailableBody.Number(
                    number: number.number.e164,
                    country: number.country,
                    category: number.category,
                    region: number.regionCode,
                    installationFee: fees?.installation.formatted(decimals: Amount.scale),
                    monthlyFee: fees?.monthly.formatted(decimals: Amount.scale),
                    currency: account.currency.rawValue
                )
            },
            totalCount: total
        )
        return try NativeEncoding.json(body)
    }

    struct RentBody: Decodable {
        let country: String?
        let category: String?
        let region: String?
        let number: String?
        let count: Int?
    }

    struct RentedBody: Encodable {
        let subscriptions: [SubscriptionRecord]
        let transactions: [TransactionRecord]
    }

    func rent(_ request: Request) async throws -> Response {
        let account = try await NativeAuth.account(request, state: state)
        let body = try await NativeEncoding.decode(RentBody.self, request, upTo: NativeAdminController<Context>.maxBodyBytes)
        let selection: RentalRequest.Selection
        if let text = body.number {
            guard body.count == nil else { throw NativeError.badRequest("number or count, not both") }
            do { selection = .numbers([try PhoneNumber(parsing: text)]) } catch { throw NativeError.badRequest("number: \(error)") }
        } else {
            guard let country = body.country?.uppercased(), country.count == 2, let category = body.category?.uppercased(), !category.isEmpty else {
                throw NativeError.badRequest("country and category are required (or a number)")
            }
            let count = body.count ?? 1
            guard (1...RentalRequest.maxCount).contains(count) else { throw NativeError.badRequest("count: 1 to \(RentalRequest.maxCount)") }
            selection = .count(count, country: country, category: category, regionCode: body.region)
        }
        do {
            let rented = try await state.rent(selection, for: account)
            return try NativeEncoding.json(
                RentedBody(
                    subscriptions: rented.map { SubscriptionRecord($0.subscription, currency: account.currency) },
                    transactions: rented.flatMap(\.transactions).map(TransactionRecord.init)
                ),
                status: .created
            )
        } catch let error as NumberError {
            throw NativeError(error)
        }
    }

    struct ListBody: Encodable {
        let numbers: [SubscriptionRecord]
        let totalCount: Int
    }

    func list(_ request: Request) async throws -> Response {
        let account = try await NativeAuth.account(request, state: state)
        let (limit, offset) = try Self.page(request)
        var query = SubscriptionQuery(accountID: account.id, limit: limit, offset: offset)
        // An empty `state=` asks for no filter, not for a filter that nothing passes.
        if let text = request.uri.queryParameters.get("state"), !text.isEmpty {
            query.states = Set(
                try text.split(separator: ",").map { name in
                    guard let state = Subscription.State(rawValue: String(name)) else {
                        throw NativeError.badRequest("state: one of \(Subscription.State.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    return state
                }
            )
        }
        let (subscriptions, total) = try await state.store.numbers.subscriptions(query)
        return try NativeEncoding.json(ListBody(numbers: subscriptions.map { SubscriptionRecord($0, currency: account.currency) }, totalCount: total))
    }

    func cancel(_ request: Request, id text: String) async throws -> Response {
        let account = try await NativeAuth.account(request, state: state)
        guard let id = Int64(text), id > 0 else { throw NativeError.notFound("no number \(text) of this account") }
        do {
            _ = try await state.store.numbers.cancel(accountID: account.id, subscriptionIDs: [id], now: state.now())
        } catch let error as NumberError {
            throw NativeError(error)
        }
        guard let subscription = try await state.store.numbers.subscriptions(SubscriptionQuery(accountID: account.id, ids: [id])).subscriptions.first
        else { throw NativeError.notFound("no number \(id) of this account") }
        return try NativeEncoding.json(SubscriptionRecord(subscription, currency: account.currency))
    }
}
