import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Synchronization
import TariffCore
import TariffStore
import Testing

@testable import TariffHTTP

extension RequestLogTests {
    /// Every way a credential reaches the server, right and wrong, with secrets no log line may hold.
    static let secret = "Zq9SecretValue"
    static let token = "eyJhbGciOiJSUzI1NiIsImtpZCI6Ik5vS2V5In0.eyJpc3MiOiIxIn0.Zq9SignaturePart"

    @Test("no secret, key secret or token reaches a log line, at trace level, in any credential form, matched or not")
    func noCredentialInAnyLog() async throws {
        try await HTTPFixture.with { fixture in
            _ = try await fixture.store.accounts.create(
                name: "logs",
                currency: .EUR,
                deck: "base",
                credential: Credentials.make(apiKey: "k-logs", secret: Self.secret).credential,
                now: .now()
            )
            let (operatorToken, _) = try await fixture.store.operatorTokens.create(name: "ops", now: .now())
            let captured = CapturedLogs()
            var logger = Logger(label: "capture") { _ in CapturingLogHandler(captured: captured) }
            logger.logLevel = .trace
            let app = try await fixture.liveApplication(logger: logger)
            let s = Self.secret
            let basicRight = basic("k-logs", s)
            let basicWrong = basic("k-logs", s + "x")
            let targets: [(String, HTTPFields)] = [
                ("/account/get-pricing/outbound/sms?country=ES&api_key=k-logs&api_secret=\(s)", [:]),
                ("/account/get-pricing/outbound/sms?country=ES&api_key=k-logs&api_secret=\(s)x", [:]),
                ("/account/get-pricing/outbound/sms?country=ES", basicRight),
                ("/account/get-pricing/outbound/sms?country=ES", basicWrong),
                ("/account/get-pricing/outbound/k-logs/\(s)/ES", [:]),
                ("/account/get-pricing/outbound/sms/k-logs/\(s)/ES", [:]),
                ("/account/get-pricing/outbound/sms/k-logs/\(s)x/ES", [:]),
                ("/account/get-prefix-pricing/outbound/k-logs/\(s)/34", [:]),
                ("/account/get-phone-pricing/outbound/sms/k-logs/\(s)/34612345678", [:]),
                ("/account/get-balance/k-logs/\(s)", [:]),
                // Forms no route has: a segment short, a segment long, a typo.
                ("/account/get-pricing/outbound/sms/k-logs/\(s)", [:]),
                ("/account/get-pricing/outbound/sms/k-logs/\(s)/ES/extra", [:]),
                ("/acount/get-pricing/outbound/sms/k-logs/\(s)/ES", [:]),
                ("/\(s)", [:]),
                ("/v2/account/pricing/sms-outbound", basicRight),
                ("/v2/account/pricing/sms-outbound", basicWrong),
                ("/v1/prices/sms?to=34612345678", basicRight),
                ("/v1/prices/sms?to=34612345678", basicWrong),
                ("/platform_api/GetAccountInfo?account_id=1&api_key=\(s)", [:]),
                ("/platform_api/GetAccountInfo", [.authorization: "Bearer \(Self.token)"]),
                ("/platform_api/GetAccountInfo", [.authorization: "Bearer not.a-token.\(s)"]),
                ("/v1/admin/accounts/1/balance", [.authorization: "Bearer tariff_op_\(operatorToken.id)_\(s)"]),
                ("/v1/admin/accounts/1/balance", [.authorization: "Bearer \(s)"]),
            ]
            try await app.test(.live) { client in
                // The project's own client: HummingbirdTesting's gives up after 20 s, and a
                // loaded CI machine has taken longer.
                let raw = RawHTTPClient(port: try #require(client.port), tls: false)
                for (uri, headers) in targets {
                    let fields = headers.map { "\($0.name): \($0.value)" }
                    // Twice: the second may take the fast path, which logs on its own.
                    for _ in 0..<2 { _ = try await raw.send("GET", uri, fields: fields) }
                }
                let form = "cmd=GetAccountInfo&account_id=1&api_key=\(s)"
                _ = try await raw.send("POST", "/platform_api", fields: ["Content-Type: application/x-www-form-urlencoded"], body: form)
            }
            let lines = captured.lines.withLock { $0 }
            #expect(lines.filter { $0.hasPrefix("request ") }.count >= targets.count * 2)
            let encoded = Data("k-logs:\(s)".utf8).base64EncodedString()
            for needle in [s, "Zq9Signature", encoded, String(encoded.prefix(12))] {
                #expect(!lines.contains { $0.contains(needle) }, "'\(needle)' was logged: \(lines.filter { $0.contains(needle) })")
            }
            // The redacted path still says which form was used.
            #expect(lines.contains { $0.contains("path=/account/get-pricing/outbound/sms/***/***/ES") })
        }
    }

    @Test(
        "redaction of paths: credentials masked in every Vonage form, unmatched paths cut",
        arguments: [
            ("/account/get-pricing/outbound/sms", true, "/account/get-pricing/outbound/sms"),
            ("/account/get-pricing/outbound/K/S/ES", true, "/account/get-pricing/outbound/***/***/ES"),
            ("/account/get-pricing/outbound/sms/K/S/ES", true, "/account/get-pricing/outbound/sms/***/***/ES"),
            ("/account/get-phone-pricing/outbound/sms/K/S/34612345678", true, "/account/get-phone-pricing/outbound/sms/***/***/34612345678"),
            ("/account/get-balance/K/S", true, "/account/get-balance/***/***"),
            ("/account/get-pricing/outbound/sms/K/S", false, "/account/get-pricing/outbound/sms/***/***"),
            ("/account/get-pricing/outbound/sms/K/S", true, "/account/get-pricing/outbound/sms/***/***"),
            ("/account/get-pricing/outbound/sms/K/S/ES/x", false, "/account/get-pricing/outbound/sms/***/***/***/***"),
            ("/account/get-pricing/outbound/K/S/ES", false, "/account/get-pricing/outbound/***/***/***"),
            ("/elsewhere/K/S", false, "/***/***/***"),
            ("/S", false, "/***"),
            ("/v1/prices/K/S", false, "/v1/***/***/***"),
            ("/v1/prices/sms", true, "/v1/prices/sms"),
            ("/v1/admin/accounts/7/keys/K/rotate", true, "/v1/admin/accounts/7/keys/***/rotate"),
            ("/v1/admin/accounts/7/keys/K", true, "/v1/admin/accounts/7/keys/***"),
            ("/v1/admin/accounts/7/keys", true, "/v1/admin/accounts/7/keys"),
            ("/v1/admin/accounts/7/service-keys/kid", true, "/v1/admin/accounts/7/service-keys/kid"),
        ]
    )
    func redaction(path: String, matched: Bool, expected: String) {
        #expect(LoggedPath.redacted(path, matched: matched) == expected)
    }
}
