import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import TariffCore
import TariffStore
import Testing

@testable import TariffHTTP

/// The operator's admin routes: only an operator token opens them, and they move money as the
/// CLI does, idempotently when given a reference.
@Suite("Admin routes")
struct AdminRouteTests {
    static func bearer(_ token: String) -> HTTPFields { [.authorization: "Bearer " + token, .contentType: "application/json"] }

    @Test("top-ups, corrections and credit limits through an operator token; account keys and revoked tokens are refused")
    func operatorMovesMoney() async throws {
        try await HTTPFixture.with { fixture in
            let (token, text) = try await fixture.store.operatorTokens.create(name: "billing", now: .now())
            let (revoked, revokedText) = try await fixture.store.operatorTokens.create(name: "old", now: .now())
            #expect(try await fixture.store.operatorTokens.revoke(id: revoked.id, now: .now()))
            try await fixture.test { client in
                let auth = Self.bearer(text)
                func post(_ body: String, account: Int = 1, headers: HTTPFields? = nil) async throws -> TestResponse {
                    try await client.execute(
                        uri: "/v1/admin/accounts/\(account)/transactions",
                        method: .post,
                        headers: headers ?? auth,
                        body: ByteBuffer(string: body)
                    )
                }
                let topUp = try await post(#"{"type":"card_payment","amount":"25.50","reference":"bank-1"}"#)
                #expect(topUp.status == .created, "\(topUp.text)")
                #expect(try topUp.json()["balance_after"] as? String == "25.50000000")
                #expect(try topUp.json()["description"] as? String == "by operator billing")
                // A retry is answered with the first entry; another entry under its reference is a conflict.
                let retry = try await post(#"{"type":"card_payment","amount":"25.50","reference":"bank-1"}"#)
                #expect(retry.status == .ok)
                #expect(try retry.json()["id"] as? Int == topUp.json()["id"] as? Int)
                #expect(try await post(#"{"type":"card_payment","amount":"30","reference":"bank-1"}"#).status == .conflict)
                let down = try await post(#"{"type":"adjustment","amount":"-30","description":"chargeback"}"#)
                #expect(down.status == .created)
                #expect(try down.json()["balance_after"] as? String == "-4.50000000")

                let limit = try await client.execute(
                    uri: "/v1/admin/accounts/1/credit-limit",
                    method: .put,
                    headers: auth,
                    body: ByteBuffer(string: #"{"credit_limit":"10"}"#)
                )
                #expect(limit.status == .ok, "\(limit.text)")
                #expect(try limit.json()["available"] as? String == "5.50000000")
                let balance = try await client.execute(uri: "/v1/admin/accounts/1/balance", method: .get, headers: auth)
                #expect(try balance.json()["balance"] as? String == "-4.50000000")

                let refusals: [(String, Int, HTTPResponse.Status)] = [
                    (#"{"type":"resource_charge","amount":"-1"}"#, 1, .badRequest),
                    (#"{"type":"card_payment","amount":"-1"}"#, 1, .badRequest),
                    (#"{"type":"card_payment","amount":"1e3"}"#, 1, .badRequest),
                    (#"{"type":"card_payment","amount":"99999999999999999999"}"#, 1, .badRequest),
                    (#"{"type":"card_payment","amount":1}"#, 1, .badRequest),
                    (#"{"type":"adjustment","amount":"0"}"#, 1, .badRequest),
                    (#"{"type":"card_payment","amount":"1"}"#, 999, .notFound),
                    ("not json", 1, .badRequest),
                ]
                for (body, account, status) in refusals {
                    let response = try await post(body, account: account)
                    #expect(response.status == status, "\(body): \(response.text)")
                }
                let unauthorized: [HTTPFields] = [
                    [:], UsageChargeTests.eur, Self.bearer("k-eur:s-eur"), Self.bearer(revokedText), Self.bearer(text + "x"),
                    Self.bearer("tariff_op_\(token.id)_"), Self.bearer("tariff_op__x"),
                ]
                for headers in unauthorized {
                    #expect(try await post(#"{"type":"card_payment","amount":"1"}"#, headers: headers).status == .unauthorized, "\(headers)")
                }
                #expect(
                    try await client.execute(uri: "/v1/admin/accounts/1/balance", method: .get, headers: UsageChargeTests.eur).status == .unauthorized
                )
            }
            try await UsageChargeTests.expectBalanced(fixture.store)
            #expect(try await fixture.store.ledger.balance(accountID: 1)?.balance == LedgerTotal(units: -450_000_000))
        }
    }
}
