import Hummingbird
import NIOCore

/// The native API's description, built into the binary (`openapi.json`, embedded by the
/// package): `GET /openapi.json`, `GET /openapi.yaml` (the same document in YAML) and
/// `GET /docs`, a reference page that reads it. Nothing is fetched from elsewhere: the page
/// works offline.
struct OpenAPIController<Context: RequestContext> {
    func addRoutes(to router: Router<Context>) {
        let json = ByteBuffer(bytes: OpenAPIDocument.json)
        let page = ByteBuffer(bytes: PackageResources.docs_html)
        router.get("openapi.json") { _, _ in Self.answer(json, type: "application/json") }
        router.get("openapi.yaml") { _, _ in
            switch OpenAPIDocument.yaml {
            case .success(let text): return Self.answer(ByteBuffer(string: text), type: "application/yaml")
            case .failure(let error): throw HTTPError(.internalServerError, message: "the built-in API description is not valid: \(error)")
            }
        }
        router.get("docs") { _, _ in Self.answer(page, type: "text/html; charset=utf-8") }
    }

    private static func answer(_ body: ByteBuffer, type: String) -> Response {
        // The description changes only with the binary.
        Response(status: .ok, headers: [.contentType: type, .cacheControl: "public, max-age=300"], body: ResponseBody(byteBuffer: body))
    }
}

/// The document, as built in.
enum OpenAPIDocument {
    static var json: [UInt8] { PackageResources.openapi_json }

    /// The YAML form, written once from the JSON. The tests parse the JSON, so the failure
    /// branch is for a build whose document is broken: it answers why.
    static let yaml: Result<String, OrderedJSON.SyntaxError> = Result { () throws(OrderedJSON.SyntaxError) in
        YAMLText.write(try OrderedJSON(parsing: json))
    }
}
