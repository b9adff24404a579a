import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import TariffCore
import TariffStore
import Testing

@testable import TariffHTTP

/// Every route of the native API and of Twilio's, with every kind of credential: an account's
/// key never reaches an operator route, an operator token never acts as an account, and a route
/// with no credential or a wrong one refuses. The routes are read from the router, so a route added
/// later is walked too.
@Suite("Credentials: every route, every kind")
struct CredentialWalkTests {
    /// A concrete path for a route's template. Operator routes name an account that does not
    /// exist: walked with the operator's token they would otherwise close the account, or
    /// revoke the key, that the walk goes on to use.
    static func path(_ template: String) -> String {
        let parameter = template.hasPrefix("/v1/admin/") ? "999999" : "1"
        return template.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            guard segment.hasPrefix("{") else { return String(segment) }
            return segment == "{product}" ? "sms" : parameter
        }.joined(separator: "/")
    }

    @Test("operator routes refuse account keys; account routes refuse operator tokens; both refuse nothing and nonsense")
    func walk() async throws {
        try await HTTPFixture.with { fixture in
            let (_, operatorText) = try await fixture.store.operatorTokens.create(name: "walk", now: .now())
            let state = try await LiveState(store: fixture.store, logger: HTTPFixture.logger)
            let router = try buildRouter(configuration: ServerConfiguration(rateLimits: .off), state: state)
            // RouteDescription is not Sendable: the test client's closure takes the plain parts.
            let all = router.routes.map { (method: $0.method, path: $0.path.description) }
            let routes = all.filter { $0.path.hasPrefix("/v1/") && !isTwilioRoute($0.path) }
            #expect(routes.count >= 20)
            // Twilio's routes take an account's key; "**" and the other methods answer 404 to anyone.
            let twilio = all.filter { isTwilioRoute($0.path) && $0.method == .get && !$0.path.contains("**") }
            #expect(twilio.count >= 10)
            let account = basic("k-eur", "s-eur")
            let operatorToken: HTTPFields = [.authorization: "Bearer " + operatorText]
            let kinds: [(name: String, fields: HTTPFields, admin: Bool?)] = [
                ("none", [:], nil),
                ("a wrong secret", basic("k-eur", "nope"), nil),
                ("a token that is not one", [.authorization: "Bearer tariff_op_x_y"], nil),
                ("an operator token with an account's key as its text", [.authorization: "Bearer k-eur:s-eur"], nil),
                ("an account's key", account, false),
                ("an operator token", operatorToken, true),
            ]
            try await Application(router: router, logger: HTTPFixture.logger).test(.router) { client in
                for route in routes {
                    let isAdmin = route.path.hasPrefix("/v1/admin/")
                    let target = Self.path(route.path)
                    for kind in kinds {
                        var fields = kind.fields
                        fields[.contentType] = "application/json"
                        let answer = try await client.execute(uri: target, method: route.method, headers: fields, body: ByteBuffer(string: "{}"))
                        let name = "\(route.method) \(route.path) with \(kind.name)"
                        if kind.admin == isAdmin {
                            // The right kind gets past authentication: whatever it answers, not a 401.
                            #expect(answer.status != .unauthorized, "\(name): \(answer.text)")
                        } else {
                            #expect(answer.status == .unauthorized, "\(name): \(answer.status) \(answer.text)")
                            #expect(answer.headers[.contentType] == "application/problem+json", "\(name)")
                        }
                    }
                }
                for route in twilio {
                    for kind in kinds {
                        let answer = try await client.execute(uri: Self.path(route.path), method: .get, headers: kind.fields)
                        let name = "GET \(route.path) with \(kind.name)"
                        if kind.admin == false {
                            #expect(answer.status != .unauthorized, "\(name): \(answer.text)")
                        } else {
                            #expect(answer.status == .unauthorized, "\(name): \(answer.status) \(answer.text)")
                            #expect(try answer.json()["code"] as? Int == 20003, "\(name)")
                        }
                    }
                }
            }
            // Nothing was charged or changed by the refused requests.
            #expect(try await fixture.store.ledger.transactions(TransactionQuery(accountID: 1, limit: 10)).totalCount == 0)
        }
    }
}
