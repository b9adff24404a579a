import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import TariffCore
import TariffStore
import Testing

@testable import TariffHTTP

/// An account's life through the operator's routes: more keys, rotation, revocation, service
/// keys, a change of currency, closing; each change recorded in the audit log and felt by the
/// next request, never a secret in the log.
@Suite("Admin routes: keys, changes, closing and the audit log")
struct AdminAccountLifecycleTests {
    static func call(
        _ client: any TestClientProtocol,
        _ method: HTTPRequest.Method,
        _ uri: String,
        _ token: String,
        body: String? = nil
    ) async throws -> TestResponse {
        try await client.execute(uri: uri, method: method, headers: AdminRouteTests.bearer(token), body: body.map { ByteBuffer(string: $0) })
    }

    static func price(_ client: any TestClientProtocol, _ key: String, _ secret: String) async throws -> HTTPResponse.Status {
        try await client.execute(uri: "/v1/prices/sms?to=34612345678", method: .get, headers: basic(key, secret)).status
    }

    static func auditTexts(_ client: any TestClientProtocol, _ token: String, query: String = "") async throws -> (actions: [String], text: String) {
        let answer = try await call(client, .get, "/v1/admin/audit" + query, token)
        #expect(answer.status == .ok, "\(answer.text)")
        let events = try #require(try answer.json()["events"] as? [[String: Any]])
        return (events.compactMap { $0["action"] as? String }, answer.text)
    }

    @Test("a second key works at once; a rotated secret and a revoked key are refused by the next request; each is audited without its secret")
    func apiKeys() async throws {
        try await HTTPFixture.with { fixture in
            let (token, text) = try await fixture.store.operatorTokens.create(name: "support", now: .now())
            let eur = try #require(try await fixture.store.accounts.account(name: "eur"))
            try await fixture.test { client in
                #expect(try await Self.price(client, "k-eur", "s-eur") == .ok)
                let created = try await Self.call(client, .post, "/v1/admin/accounts/\(eur.id)/keys", text)
                #expect(created.status == .created, "\(created.text)")
                let key = try #require(try created.json()["api_key"] as? String)
                let secret = try #require(try created.json()["api_secret"] as? String)
                #expect(try await Self.price(client, key, secret) == .ok)

                let listed = try await Self.call(client, .get, "/v1/admin/accounts/\(eur.id)/keys", text)
                let keys = try #require(try listed.json()["keys"] as? [[String: Any]])
                #expect(Set(keys.compactMap { $0["api_key"] as? String }) == ["k-eur", key])
                #expect(!listed.text.contains(secret))

                // The old secret is refused by the very next request: no cache outlives a rotation.
                let rotated = try await Self.call(client, .post, "/v1/admin/accounts/\(eur.id)/keys/k-eur/rotate", text)
                #expect(rotated.status == .ok, "\(rotated.text)")
                let newSecret = try #require(try rotated.json()["api_secret"] as? String)
                #expect(try await Self.price(client, "k-eur", "s-eur") == .unauthorized)
                #expect(try await Self.price(client, "k-eur", newSecret) == .ok)

                let revoked = try await Self.call(client, .delete, "/v1/admin/accounts/\(eur.id)/keys/\(key)", text)
                #expect(revoked.status == .noContent)
                #expect(try await Self.price(client, key, secret) == .unauthorized)

                // Another account's key, unknown keys and accounts: 404, nothing changed.
                let usd = try #require(try await fixture.store.accounts.account(name: "usd"))
                for (method, uri) in [
                    (HTTPRequest.Method.delete, "/v1/admin/accounts/\(eur.id)/keys/k-usd"),
                    (.post, "/v1/admin/accounts/\(eur.id)/keys/k-usd/rotate"),
                    (.delete, "/v1/admin/accounts/\(eur.id)/keys/\(key)"),
                    (.post, "/v1/admin/accounts/999/keys"),
                    (.get, "/v1/admin/accounts/999/keys"),
                    (.delete, "/v1/admin/accounts/\(usd.id)/keys/%E2%9C%93"),
                ] {
                    let answer = try await Self.call(client, method, uri, text)
                    #expect(answer.status == .notFound, "\(method) \(uri): \(answer.text)")
                }
                #expect(try await Self.price(client, "k-usd", "s-usd") == .ok)
                // An account's key never reaches these routes.
                let asAccount = try await client.execute(uri: "/v1/admin/accounts/\(eur.id)/keys", method: .post, headers: basic("k-usd", "s-usd"))
                #expect(asAccount.status == .unauthorized)

                let audit = try await Self.auditTexts(client, text, query: "?target=account:\(eur.id)")
                #expect(audit.actions == ["api_key.create", "api_key.rotate", "api_key.revoke"])
                #expect(audit.text.contains("operator:\(token.id)") && audit.text.contains("support"))
                #expect(!audit.text.contains(secret) && !audit.text.contains(newSecret) && !audit.text.contains(text))
            }
        }
    }

    @Test("closing refuses an account's keys at once, keeps operator entries; a currency changes only before any money moved")
    func changeAndClose() async throws {
        try await HTTPFixture.with { fixture in
            let (_, text) = try await fixture.store.operatorTokens.create(name: "support", now: .now())
            let usd = try #require(try await fixture.store.accounts.account(name: "usd"))
            try await fixture.test { client in
                let uri = "/v1/admin/accounts/\(usd.id)"
                let changed = try await Self.call(client, .patch, uri, text, body: #"{"currency":"EUR","credit_limit":"25"}"#)
                #expect(changed.status == .ok, "\(changed.text)")
                let account = try #require(try changed.json()["account"] as? [String: Any])
                #expect(account["currency"] as? String == "EUR")
                #expect(account["closed_at"] is NSNull)
                #expect((try changed.json()["balance"] as? [String: Any])?["credit_limit"] as? String == "25.00000000")
                let priced = try await client.execute(uri: "/v1/prices/sms?to=34612345678", method: .get, headers: basic("k-usd", "s-usd"))
                // The next request prices in the new currency: no cached account outlives the change.
                #expect(try priced.json()["currency"] as? String == "EUR", "\(priced.text)")

                let topUp = try await Self.call(client, .post, uri + "/transactions", text, body: #"{"type":"card_payment","amount":"10"}"#)
                #expect(topUp.status == .created)
                for (body, status) in [
                    (#"{"currency":"USD"}"#, HTTPResponse.Status.conflict),
                    (#"{"currency":"XQQ"}"#, .badRequest),
                    (#"{"credit_limit":"-1"}"#, .badRequest),
                    (#"{"credit_limit":"1e400"}"#, .badRequest),
                    ("{}", .badRequest),
                    ("[]", .badRequest),
                ] {
                    let answer = try await Self.call(client, .patch, uri, text, body: body)
                    #expect(answer.status == status, "\(body): \(answer.text)")
                }
                #expect(try await fixture.store.accounts.account(id: usd.id)?.currency.rawValue == "EUR")

                let closed = try await Self.call(client, .post, uri + "/close", text)
                #expect(closed.status == .ok, "\(closed.text)")
                let closedAt = try #require((try closed.json()["account"] as? [String: Any])?["closed_at"] as? String)
                #expect(try await Self.price(client, "k-usd", "s-usd") == .unauthorized)
                let usage = try await client.execute(
                    uri: "/v1/usage",
                    method: .post,
                    headers: basic("k-usd", "s-usd"),
                    body: ByteBuffer(string: #"{"id":"u1","product":"sms","to":"34612345678","messages":1}"#)
                )
                #expect(usage.status == .unauthorized)
                let again = try await Self.call(client, .post, uri + "/close", text)
                #expect((try again.json()["account"] as? [String: Any])?["closed_at"] as? String == closedAt)
                // What is left is paid out by the operator; a closed account takes no new key or change.
                let payout = try await Self.call(client, .post, uri + "/transactions", text, body: #"{"type":"adjustment","amount":"-10"}"#)
                #expect(payout.status == .created, "\(payout.text)")
                #expect(try await Self.call(client, .post, uri + "/keys", text).status == .conflict)
                #expect(try await Self.call(client, .post, uri + "/service-keys", text).status == .conflict)
                #expect(try await Self.call(client, .patch, uri, text, body: #"{"credit_limit":"0"}"#).status == .conflict)
                #expect(try await Self.call(client, .post, "/v1/admin/accounts/999/close", text).status == .notFound)

                let audit = try await Self.auditTexts(client, text, query: "?target=account:\(usd.id)")
                #expect(audit.actions == ["account.update", "credit_limit.set", "ledger.post", "account.close", "ledger.post"])
                let closes = try await Self.auditTexts(client, text, query: "?action=account.close")
                #expect(closes.actions.count == 1)
            }
        }
    }

    @Test("service keys: the credentials file is answered once, listed without its private key, revoked once")
    func serviceKeys() async throws {
        try await HTTPFixture.with { fixture in
            let (_, text) = try await fixture.store.operatorTokens.create(name: "support", now: .now())
            let eur = try #require(try await fixture.store.accounts.account(name: "eur"))
            let usd = try #require(try await fixture.store.accounts.account(name: "usd"))
            try await fixture.test { client in
                let created = try await Self.call(client, .post, "/v1/admin/accounts/\(eur.id)/service-keys", text)
                #expect(created.status == .created, "\(created.text)")
                #expect(created.headers[.cacheControl] == "no-store")
                let file = try JSONDecoder().decode(ServiceAccountCredentials.self, from: Data(created.text.utf8))
                #expect(file.accountID == eur.id && file.privateKey.hasPrefix("-----BEGIN PRIVATE KEY-----"))
                #expect(try await fixture.store.serviceKeys.key(keyID: file.keyID)?.accountID == eur.id)

                let listed = try await Self.call(client, .get, "/v1/admin/accounts/\(eur.id)/service-keys", text)
                let keys = try #require(try listed.json()["keys"] as? [[String: Any]])
                #expect(keys.count == 1 && keys.first?["key_id"] as? String == file.keyID && keys.first?["revoked_at"] is NSNull)
                #expect(!listed.text.contains("PRIVATE KEY"))

                #expect(try await Self.call(client, .delete, "/v1/admin/accounts/\(usd.id)/service-keys/\(file.keyID)", text).status == .notFound)
                #expect(try await Self.call(client, .delete, "/v1/admin/accounts/\(eur.id)/service-keys/\(file.keyID)", text).status == .noContent)
                #expect(try await Self.call(client, .delete, "/v1/admin/accounts/\(eur.id)/service-keys/\(file.keyID)", text).status == .noContent)
                #expect(try await fixture.store.serviceKeys.key(keyID: file.keyID)?.isRevoked == true)
                let audit = try await Self.auditTexts(client, text)
                #expect(audit.actions == ["service_key.create", "service_key.revoke"])
                #expect(!audit.text.contains("PRIVATE KEY"))
            }
        }
    }

    @Test("the audit log pages by next_after and refuses bad queries")
    func auditPaging() async throws {
        try await HTTPFixture.with { fixture in
            let (token, text) = try await fixture.store.operatorTokens.create(name: "support", now: .now())
            for index in 1...5 {
                try await fixture.store.audit.record(
                    AuditEvent(at: .now(), actor: .token(token), action: "test.event", target: "t:\(index)", detail: "event \(index)")
                )
            }
            try await fixture.test { client in
                var seen: [String] = []
                var after = 0
                var pages = 0
                while pages < 10 {
                    pages += 1
                    let answer = try await Self.call(client, .get, "/v1/admin/audit?limit=2&after=\(after)", text)
                    let body = try answer.json()
                    seen += (body["events"] as? [[String: Any]] ?? []).compactMap { $0["target"] as? String }
                    guard let next = body["next_after"] as? Int else {
                        #expect(body["next_after"] is NSNull)
                        break
                    }
                    after = next
                }
                #expect(seen == (1...5).map { "t:\($0)" })
                for query in [
                    "limit=0", "limit=1001", "limit=x", "after=-1", "after=99999999999999999999", "action=" + String(repeating: "a", count: 300),
                ] {
                    #expect(try await Self.call(client, .get, "/v1/admin/audit?\(query)", text).status == .badRequest, "\(query)")
                }
            }
        }
    }
}
