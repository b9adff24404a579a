import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import TariffCore
import TariffStore
import Testing

@testable import TariffHTTP

/// Accounts through the operator's routes: opened with the CLI's checks, listed, shown with
/// their keys (never secrets) and money; the key issued works at once.
@Suite("Admin routes: accounts")
struct AdminAccountsTests {
    @Test("open an account, price with its new key at once, list it and show it; bad and conflicting bodies are refused")
    func openListShow() async throws {
        try await HTTPFixture.with { fixture in
            let (_, text) = try await fixture.store.operatorTokens.create(name: "onboarding", now: .now())
            try await fixture.test { client in
                let auth = AdminRouteTests.bearer(text)
                func open(_ body: String) async throws -> TestResponse {
                    try await client.execute(uri: "/v1/admin/accounts", method: .post, headers: auth, body: ByteBuffer(string: body))
                }
                let opened = try await open(#"{"name":"acme","currency":"usd","email":"ops@acme.example"}"#)
                #expect(opened.status == .created, "\(opened.text)")
                let issued = try opened.json()
                let id = try #require(issued["account_id"] as? Int)
                let key = try #require(issued["api_key"] as? String)
                let secret = try #require(issued["api_secret"] as? String)
                let price = try await client.execute(uri: "/v1/prices/sms?to=34612345678", method: .get, headers: basic(key, secret))
                #expect(price.status == .ok, "\(price.text)")

                let list = try await client.execute(uri: "/v1/admin/accounts", method: .get, headers: auth)
                #expect(list.status == .ok)
                let accounts = try #require(try list.json()["accounts"] as? [[String: Any]])
                #expect(accounts.map { $0["name"] as? String } == ["eur", "usd", "acme"])
                #expect(accounts.last?["currency"] as? String == "USD")
                #expect(!list.text.contains(secret))

                let show = try await client.execute(uri: "/v1/admin/accounts/\(id)", method: .get, headers: auth)
                #expect(show.status == .ok)
                let body = try show.json()
                #expect(body["api_keys"] as? [String] == [key])
                #expect((body["balance"] as? [String: Any])?["balance"] as? String == "0.00000000")
                #expect(!show.text.contains(secret))

                let refused: [(String, HTTPResponse.Status)] = [
                    (#"{"currency":"EUR"}"#, .badRequest),
                    (#"{"name":"x"}"#, .badRequest),
                    (#"{"name":"","currency":"EUR"}"#, .badRequest),
                    (#"{"name":"x","currency":"XXY"}"#, .badRequest),
                    (#"{"name":"x","currency":"EUR","email":"not an address"}"#, .badRequest),
                    (#"{"name":"x","currency":"EUR","email":"ops@acme.example"}"#, .conflict),
                    (#"{"name":"a\u0000b","currency":"EUR"}"#, .badRequest),
                    ("[1]", .badRequest),
                    (String(repeating: "x", count: 20_000), .badRequest),
                ]
                for (bodyText, status) in refused {
                    let answer = try await open(bodyText)
                    #expect(answer.status == status, "\(bodyText.prefix(60)): \(answer.text)")
                    #expect(answer.headers[.contentType] == "application/problem+json")
                }
                for missing in [
                    "/v1/admin/accounts/99", "/v1/admin/accounts/0", "/v1/admin/accounts/-1", "/v1/admin/accounts/x",
                    "/v1/admin/accounts/99999999999999999999",
                ] {
                    #expect(try await client.execute(uri: missing, method: .get, headers: auth).status == .notFound, "\(missing)")
                }
            }
            #expect(try await fixture.store.accounts.accounts().count == 3)
        }
    }
}
