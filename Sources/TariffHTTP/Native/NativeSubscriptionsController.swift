import Foundation
import Hummingbird
import NIOCore
import TariffCore
import TariffStore

/// SIP registrations and plans through the native API, with the account's key:
/// - `GET /v1/templates`: the templates offered now, with fees in the account's currency.
/// - `POST /v1/subscriptions` `{"template", "label"?, "attributes"?}`: subscribes, charging the
///   installation fee and the first month at once (a plan replaces the account's plan of its type).
/// - `GET /v1/subscriptions[?state=...]`: the account's SIP registrations and plans, with the
///   units included this period, used and left.
/// - `DELETE /v1/subscriptions/{id}`: cancels (no refund; kept to the end of the paid period).
struct NativeSubscriptionsController<Context: RequestContext> {
    let state: LiveState

    func addRoutes(to group: RouterGroup<Context>) {
        group.get("templates") { request, _ in try await templates(request) }
        group.post("subscriptions") { request, _ in try await subscribe(request) }
        group.get("subscriptions") { request, _ in try await list(request) }
        group.delete("subscriptions/:id") { request, context in try await cancel(request, id: try context.parameters.require("id")) }
    }

    struct TemplatesBody: Encodable {
        struct Template: Encodable {
            let template: String
            let type: String
            let name: String
            let installationFee: String?
            let monthlyFee: String?
            let currency: String
            let includes: [String]
        }
        let templates: [Template]
    }

    func templates(_ request: Request) async throws -> Response {
        let account = try await NativeAuth.account(request, state: state)
        let body = TemplatesBody(
            templates: state.book(for: account).templates.inForce(at: state.now()).compactMap { price in
                guard let terms = price.terms else { return nil }
                let fees = try? state.templateFees(price, currency: account.currency)
                return TemplatesBody.Template(
                    template: price.key.name,
                    type: terms.type,
                    name: terms.displayName,
                    installationFee: fees?.installation.formatted(decimals: Amount.scale),
                    monthlyFee: fees?.monthly.formatted(decimals: Amount.scale),
                    currency: account.currency.rawValue,
                    includes: terms.includes.map(\.description)
                )
            }
        )
        return try NativeEncoding.json(body)
    }

    struct SubscribeBody: Decodable {
        let template: String?
        let label: String?
        let attributes: [String: String]?
    }

    struct SubscribedBody: Encodable {
        let subscription: ServiceSubscriptionRecord
        let transactions: [TransactionRecord]
    }

    func subscribe(_ request: Request) async throws -> Response {
        let account = try await NativeAuth.account(request, state: state)
        let body = try await NativeEncoding.decode(SubscribeBody.self, request, upTo: NativeAdminController<Context>.maxBodyBytes)
        guard let template = body.template, ServicePriceKey.isProductName(template) else {
            throw NativeError.badRequest("template: the name of a template offered (GET /v1/templates)")
        }
        let attributes = body.attributes ?? [:]
        guard attributes.count <= 20, attributes.allSatisfy({ $0.key.utf8.count <= 64 && $0.value.utf8.count <= 255 }) else {
            throw NativeError.badRequest("attributes: at most 20, names up to 64 bytes, values up to 255")
        }
        if let label = body.label, label.isEmpty || label.utf8.count > 255 { throw NativeError.badRequest("label: 1 to 255 bytes") }
        do {
            let made = try await state.subscribe(account, template: template, label: body.label ?? template, attributes: attributes) { _ in true }
            let allowances = try await state.store.serviceSubscriptions.allowances(accountID: account.id, at: state.now())
            return try NativeEncoding.json(
                SubscribedBody(
                    subscription: ServiceSubscriptionRecord(made.subscription, currency: account.currency, allowances: allowances),
                    transactions: made.transactions.map(TransactionRecord.init)
                ),
                status: made.transactions.isEmpty ? .ok : .created
            )
        } catch let error as NumberError {
            throw NativeError(error)
        }
    }

    struct ListBody: Encodable {
        let subscriptions: [ServiceSubscriptionRecord]
    }

    func list(_ request: Request) async throws -> Response {
        let account = try await NativeAuth.account(request, state: state)
        var query = ServiceSubscriptionQuery(accountID: account.id)
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
        let subscriptions = try await state.store.serviceSubscriptions.subscriptions(query)
        let allowances = try await state.store.serviceSubscriptions.allowances(accountID: account.id, at: state.now())
        return try NativeEncoding.json(
            ListBody(subscriptions: subscriptions.map { ServiceSubscriptionRecord($0, currency: account.currency, allowances: allowances) })
        )
    }

    func cancel(_ request: Request, id text: String) async throws -> Response {
        let account = try await NativeAuth.account(request, state: state)
        guard let id = Int64(text), id > 0 else { throw NativeError.notFound("no subscription \(text) of this account") }
        do {
            _ = try await state.store.serviceSubscriptions.cancel(accountID: account.id, ids: [id], now: state.now())
        } catch let error as NumberError {
            throw NativeError(error)
        }
        guard
            let subscription = try await state.store.serviceSubscriptions.subscriptions(ServiceSubscriptionQuery(accountID: account.id, ids: [id]))
                .first
        else { throw NativeError.notFound("no subscription \(id) of this account") }
        return try NativeEncoding.json(ServiceSubscriptionRecord(subscription, currency: account.currency))
    }
}
