import Hummingbird
import HummingbirdTesting
import TariffStore
import Testing

@testable import TariffHTTP

/// Each dialect's route group carries its own error mapping: an error nobody expected becomes
/// that dialect's 500 body, and Vonage's paths answer a missing page with Vonage's HTML 404
/// whatever the method.
@Suite("Error mapping per dialect")
struct ErrorMappingTests {
    struct Boom: Error {}

    /// A router shaped like Tariff's: the plain mapping around everything, each dialect's on its group.
    static func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.addMiddleware { ErrorMappingMiddleware.plain }
        router.get("native/boom") { _, _ -> Response in throw Boom() }
        router.group("account").add(middleware: ErrorMappingMiddleware.vonageV1).get("boom") { _, _ -> Response in throw Boom() }
        router.group("v2/account").add(middleware: ErrorMappingMiddleware.vonageV2).get("boom") { _, _ -> Response in throw Boom() }
        router.group("platform_api").add(middleware: ErrorMappingMiddleware.voximplant).get("boom") { _, _ -> Response in throw Boom() }
        let down = StoreError.unavailable("the connection to PostgreSQL closed")
        router.group("v1").add(middleware: ErrorMappingMiddleware.native).get("down") { _, _ -> Response in throw down }
        router.group("account").add(middleware: ErrorMappingMiddleware.vonageV1).get("down") { _, _ -> Response in throw down }
        router.group("v2/account").add(middleware: ErrorMappingMiddleware.vonageV2).get("down") { _, _ -> Response in throw down }
        router.group("platform_api").add(middleware: ErrorMappingMiddleware.voximplant).get("down") { _, _ -> Response in throw down }
        return router
    }

    @Test("an unexpected error is answered in the dialect of the group that threw it")
    func unexpectedErrors() async throws {
        try await Application(router: Self.router()).test(.router) { client in
            let native = try await client.execute(uri: "/native/boom", method: .get)
            #expect(native.status == .internalServerError)
            #expect(native.text.contains("internal error"))

            let v1 = try await client.execute(uri: "/account/boom", method: .get)
            #expect(v1.status == .internalServerError)
            let v1Body = try v1.json()
            #expect(v1Body["error-code-label"] as? String == "unknown error")

            let v2 = try await client.execute(uri: "/v2/account/boom", method: .get)
            #expect(v2.status == .internalServerError)
            let v2Body = try v2.json()
            #expect((v2Body["type"] as? String)?.hasSuffix("#internal-error") == true)

            let voximplant = try await client.execute(uri: "/platform_api/boom", method: .get)
            #expect(voximplant.status == .ok)
            let error = try voximplant.json()
            #expect((error["error"] as? [String: Any])?["code"] as? Int == 2)
        }
    }

    @Test("a database that cannot be reached is a 503 where the dialect has one, its own 500 body elsewhere")
    func unavailableDatabase() async throws {
        try await Application(router: Self.router()).test(.router) { client in
            let native = try await client.execute(uri: "/v1/down", method: .get)
            #expect(native.status == .serviceUnavailable)
            #expect(try native.json()["title"] as? String == "Service unavailable")

            let v2 = try await client.execute(uri: "/v2/account/down", method: .get)
            #expect(v2.status == .serviceUnavailable)
            #expect((try v2.json()["type"] as? String)?.hasSuffix("#service-unavailable") == true)

            let v1 = try await client.execute(uri: "/account/down", method: .get)
            #expect(v1.status == .internalServerError)
            #expect(try v1.json()["error-code-label"] as? String == "unknown error")

            let voximplant = try await client.execute(uri: "/platform_api/down", method: .get)
            #expect((try voximplant.json()["error"] as? [String: Any])?["code"] as? Int == 2)
        }
    }

    @Test("Vonage's paths answer any method they do not take, and any path they do not serve, with the HTML 404")
    func vonageNotFound() async throws {
        try await HTTPFixture.with { fixture in
            try await fixture.test { client in
                let cases: [(String, HTTPRequest.Method)] = [
                    ("/account/get-balance", .post), ("/account/get-balance", .delete), ("/account/get-balance", .head),
                    ("/account/no-such-thing", .get), ("/account/no-such-thing", .put),
                    ("/account/get-pricing/outbound/sms/a/b/c/d/e", .get),
                    ("/v2/account/pricing/sms", .post), ("/v2/account/nothing", .get),
                ]
                for (uri, method) in cases {
                    let response = try await client.execute(uri: uri, method: method)
                    #expect(response.status == .notFound, "\(method) \(uri)")
                    #expect(response.headers[.contentType] == "text/html", "\(method) \(uri)")
                    if method != .head { #expect(response.text == "404 - Page does not exist", "\(method) \(uri)") }
                }
                for (uri, method) in [("/nothing", HTTPRequest.Method.get), ("/platform_api", .delete), ("/account", .get)] {
                    let response = try await client.execute(uri: uri, method: method)
                    #expect(response.status == .notFound, "\(method) \(uri)")
                    #expect(response.headers[.contentType] != "text/html", "\(method) \(uri): not a Vonage path")
                }
                // The group's own paths still answer: Voximplant's JSON, not a 404.
                for uri in ["/platform_api", "/platform_api/GetCurrencyRate"] {
                    let response = try await client.execute(uri: uri, method: .post)
                    #expect(response.status == .ok, "\(uri)")
                    #expect(response.headers[.contentType] == "application/json", "\(uri)")
                }
            }
        }
    }
}
