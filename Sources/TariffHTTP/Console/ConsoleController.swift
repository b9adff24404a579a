import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// `GET /`: the price explorer, and `GET /console/{hashed name}`: its script, style sheet and map.
/// The page reads only the native API, with the key the user types, held in the page's memory.
struct ConsoleController<Context: RequestContext> {
    let assets: ConsoleAssets

    init(assets: ConsoleAssets = .builtIn) {
        self.assets = assets
    }

    func addRoutes(to router: Router<Context>) {
        router.get("/") { request, _ in answer(assets.page, request, caching: "no-cache") }
        router.get("console/:file") { request, context in
            guard let asset = assets.files[try context.parameters.require("file")] else {
                throw HTTPError(.notFound, message: "no such console file")
            }
            // The name changes with the content: a browser may keep it for good.
            return answer(asset, request, caching: "public, max-age=31536000, immutable")
        }
    }

    /// The asset, gzipped when it has a gzip form the client takes, or 304 when the browser
    /// holds this version (`If-None-Match`).
    private func answer(_ asset: ConsoleAssets.Asset, _ request: Request, caching: String) -> Response {
        var body = asset.body
        var etag = asset.etag
        var headers: HTTPFields = [.contentType: asset.contentType, .cacheControl: caching]
        if let gzip = asset.gzip {
            headers[.vary] = "Accept-Encoding"
            if Self.acceptsGzip(request.headers[values: .acceptEncoding]) {
                body = gzip.body
                etag = gzip.etag
                headers[.contentEncoding] = "gzip"
            }
        }
        headers[.eTag] = etag
        for (name, value) in ConsoleAssets.securityHeaders { headers[name] = value }
        let held = request.headers[values: .ifNoneMatch].flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        if held.contains(etag) || held.contains("*") {
            return Response(status: .notModified, headers: headers)
        }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: body))
    }

    /// Whether `Accept-Encoding` takes gzip: named (or `*`) without `q=0`.
    static func acceptsGzip(_ values: [String]) -> Bool {
        var gzip: Bool?
        var any: Bool?
        for value in values {
            for item in value.split(separator: ",") {
                let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                guard let coding = parts.first else { continue }
                let refused = parts.dropFirst().contains { $0.hasPrefix("q=") && Double($0.dropFirst(2)) == 0 }
                if coding == "gzip" || coding == "x-gzip" { gzip = !refused } else if coding == "*" { any = !refused }
            }
        }
        return gzip ?? any ?? false
    }
}

extension ConsoleAssets {
    /// Nothing but this server's own files run in the page, it cannot be framed, and no
    /// address it visits learns where the user came from.
    static let securityHeaders: [(HTTPField.Name, String)] = [
        (
            HTTPField.Name("Content-Security-Policy")!,
            "default-src 'self'; img-src 'self' data: blob:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
        ),
        (HTTPField.Name("X-Content-Type-Options")!, "nosniff"),
        (HTTPField.Name("Referrer-Policy")!, "no-referrer"),
    ]
}
