import Foundation
import Hummingbird
import HummingbirdTesting
import TariffCore
import TariffStore
import Testing

@testable import TariffHTTP

/// The document and the routes cannot drift: every native, operator and system route the
/// router has is described, and every described operation is a route. (That each answers as
/// described is schemathesis's part, in the conformance suite.)
@Suite("OpenAPI description")
struct OpenAPIDescriptionTests {
    static let document: OrderedJSON = {
        do { return try OrderedJSON(parsing: OpenAPIDocument.json) } catch {
            Issue.record("the built-in openapi.json does not parse: \(error)")
            return .null
        }
    }()

    static let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options"]

    /// `METHOD /path` of every described operation.
    static var described: Set<String> {
        var operations: Set<String> = []
        for (path, item) in document["paths"]?.members ?? [] {
            for (method, _) in item.members where methods.contains(method) { operations.insert("\(method.uppercased()) \(path)") }
        }
        return operations
    }

    /// The routes the document must describe: Tariff's own API, not the Vonage, Voximplant and
    /// Twilio dialects, whose descriptions are theirs.
    static func routes(_ router: Router<BasicRequestContext>) -> Set<String> {
        Set(
            router.routes.map { "\($0.method) \($0.path)" }.filter { route in
                let path = route.split(separator: " ", maxSplits: 1)[1]
                return path.hasPrefix("/v1/") && !isTwilioRoute(path)
                    || ["/health", "/ready", "/metrics", "/openapi.json", "/openapi.yaml", "/docs"].contains(path)
            }
        )
    }

    @Test("every route of the native API is described, and every described operation is a route")
    func bothWays() async throws {
        try await HTTPFixture.with { fixture in
            let state = try await LiveState(store: fixture.store, logger: HTTPFixture.logger)
            let routes = Self.routes(try buildRouter(configuration: ServerConfiguration(rateLimits: .off), state: state))
            #expect(routes.count > 20, "\(routes)")
            #expect(routes.subtracting(Self.described).sorted() == [], "routes the document does not describe")
            #expect(Self.described.subtracting(routes).sorted() == [], "operations the router does not have")
        }
    }

    @Test("every operation has an id, a summary, a tag, responses, and a security requirement unless it is a system route")
    func operationsComplete() throws {
        var ids: Set<String> = []
        for (path, item) in Self.document["paths"]?.members ?? [] {
            for (method, operation) in item.members where Self.methods.contains(method) {
                let name = "\(method.uppercased()) \(path)"
                guard case .string(let id) = operation["operationId"] else {
                    Issue.record("\(name): no operationId")
                    continue
                }
                #expect(ids.insert(id).inserted, "\(name): operationId \(id) is used twice")
                #expect(operation["summary"] != nil, "\(name): no summary")
                #expect(operation["tags"] != nil, "\(name): no tag")
                #expect(!(operation["responses"]?.members.isEmpty ?? true), "\(name): no responses")
                let open = !path.hasPrefix("/v1/")
                if !open { #expect(operation["security"] != nil || Self.document["security"] != nil, "\(name): no security requirement") }
            }
        }
        #expect(Self.document["openapi"].map { if case .string(let v) = $0 { v.hasPrefix("3.1") } else { false } } == true)
    }

    @Test("/openapi.json is the built-in document, /openapi.yaml its YAML form, /docs a page that fetches nothing from elsewhere")
    func served() async throws {
        try await HTTPFixture.with { fixture in
            try await fixture.test { client in
                let json = try await client.execute(uri: "/openapi.json", method: .get)
                #expect(json.status == .ok)
                #expect(json.headers[.contentType] == "application/json")
                #expect(Array(json.body.readableBytesView) == OpenAPIDocument.json)
                let yaml = try await client.execute(uri: "/openapi.yaml", method: .get)
                #expect(yaml.status == .ok)
                #expect(yaml.headers[.contentType] == "application/yaml")
                #expect(yaml.text.hasPrefix("openapi: \"3.1"))
                let docs = try await client.execute(uri: "/docs", method: .get)
                #expect(docs.status == .ok)
                #expect(docs.headers[.contentType] == "text/html; charset=utf-8")
                for external in ["<script src=\"http", "<link href=\"http", "@import url(http", "cdn."] {
                    #expect(!docs.text.contains(external), "/docs loads '\(external)…'")
                }
            }
        }
    }

    @Test("YAML: keys in the JSON's order, every string quoted, nesting by indentation")
    func yamlText() throws {
        let json = #"{"b":1,"a":{"x":[1,{"k":"v","l":[]},[true,null]],"on":"no"},"/p/{id}":"line\nbreak \"q\"","e":{}}"#
        let yaml = YAMLText.write(try OrderedJSON(parsing: Array(json.utf8)))
        #expect(
            yaml == """
                b: 1
                a:
                  x:
                  - 1
                  - k: "v"
                    l: []
                  -
                    - true
                    - null
                  "on": "no"
                "/p/{id}": "line\\nbreak \\"q\\""
                e: {}

                """
        )
    }

    @Test("the JSON reader refuses what is not JSON, and does not recurse without end")
    func jsonRefusals() {
        for bad in ["", "{", "[1,]", "{\"a\" 1}", "tru", "\"open", "1 2", String(repeating: "[", count: 100_000)] {
            #expect(throws: OrderedJSON.SyntaxError.self, "\(bad.prefix(20))") { try OrderedJSON(parsing: Array(bad.utf8)) }
        }
    }
}
