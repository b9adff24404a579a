import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import NIOCore

/// Vonage's errors with the statuses and bodies its SDKs expect (wire-formats §1.5, §1.7).
enum VonageError: Error, HTTPResponseError {
    /// 400 `BAD_REQUEST` naming the parameter.
    case badRequest(parameter: String, message: String)
    /// 401; balance and pricing routes word it differently.
    case authenticationFailed(balance: Bool)
    /// 404 as text/html: an unknown path or product.
    case notFound
    /// 420 "method failed": phone pricing with something that is not a phone number.
    case methodFailed
    /// 429 as text/html, with Retry-After seconds.
    case tooManyRequests(retryAfter: Int)
    /// 500 with Vonage's body; the cause is logged, not sent.
    case unknownError
    /// Pricing v2 speaks RFC 7807 problem documents.
    case problem(status: HTTPResponse.Status, type: String, title: String, detail: String)

    var status: HTTPResponse.Status {
        switch self {
        case .badRequest: .badRequest
        case .authenticationFailed: .unauthorized
        case .notFound: .notFound
        case .methodFailed: HTTPResponse.Status(code: 420, reasonPhrase: "Method Failure")
        case .tooManyRequests: .tooManyRequests
        case .unknownError: .internalServerError
        case .problem(let status, _, _, _): status
        }
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        rendered(for: request.head).response
    }

    /// The whole answer to `request`: the router and the fast path both send this.
    func rendered(for request: HTTPRequest) -> RenderedResponse {
        let path = request.path.map { URI($0).path } ?? ""
        // v1 errors follow the Accept header like the answers do; v2 speaks problem documents.
        let v2 = path.hasPrefix("/v2/")
        let xml = VonageFormat.wantsXML(accept: request.headerFields[.accept]) && !v2
        switch self {
        case .badRequest(let parameter, let message):
            return VonageFormat.body(
                status: status,
                xml: xml,
                root: "response",
                [
                    ("type", .text("BAD_REQUEST")), ("error_title", .text("Bad Request")),
                    ("invalid_parameters", .object([("parameter", parameter), ("message", message)])),
                ]
            )
        case .authenticationFailed(let balance):
            if balance {
                return VonageFormat.body(
                    status: status,
                    xml: xml,
                    root: "accountBalance",
                    [("error-code", .text("401")), ("error-code-label", .text("authentication failed"))]
                )
            }
            return VonageFormat.body(
                status: status,
                xml: xml,
                root: "response",
                [
                    ("currency", .text("EUR")), ("code", .text("401")), ("error-code-label", .text("authentication failed")),
                ]
            )
        case .notFound:
            return VonageFormat.html(status: status, "404 - Page does not exist")
        case .methodFailed:
            var response = VonageFormat.body(
                status: status,
                xml: xml,
                root: "response",
                [("error-code", .text("420")), ("error-code-label", .text("method failed"))]
            )
            response.headers[.contentDisposition] = "attachment; filename=\"api.txt\""
            return response
        case .tooManyRequests(let retryAfter):
            var response: RenderedResponse
            if v2 {
                response = VonageError.problem(
                    status: status,
                    type: "rate-limit",
                    title: "Rate Limit Hit",
                    detail: "Please wait \(retryAfter) s, then retry your request"
                ).problem(request)
            } else {
                response = VonageFormat.html(status: status, "429 - Too many requests")
            }
            response.headers[.retryAfter] = String(retryAfter)
            return response
        case .unknownError:
            if v2 {
                return VonageError.problem(
                    status: status,
                    type: "internal-error",
                    title: "Internal Error",
                    detail: "The request could not be completed"
                ).problem(request)
            }
            return VonageFormat.body(
                status: status,
                xml: xml,
                root: "response",
                [("error-code", .text("500")), ("error-code-label", .text("unknown error"))]
            )
        case .problem:
            return problem(request)
        }
    }

    /// An RFC 7807 problem document.
    private func problem(_ request: HTTPRequest) -> RenderedResponse {
        guard case .problem(let status, let type, let title, let detail) = self else {
            return RenderedResponse(status: self.status, headers: [:], body: ByteBuffer())
        }
        var response = VonageFormat.json(
            status: status,
            [
                "type": "https://developer.vonage.com/api-errors#\(type)", "title": title, "detail": detail,
                "instance": request.headerFields[.init("x-request-id")!] ?? UUID().uuidString.lowercased(),
            ]
        )
        response.headers[.contentType] = "application/problem+json"
        return response
    }
}

/// Response bodies in the content types Vonage uses.
enum VonageFormat {
    /// `application/json`, exactly: the nexmo SDK compares the media type without parameters.
    static func json(status: HTTPResponse.Status = .ok, _ object: Any) -> RenderedResponse {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return bytes(status: status, ByteBuffer(bytes: data), contentType: "application/json")
    }

    enum Value {
        case text(String)
        case object([(String, String)])
    }

    /// A flat error body as JSON, or as XML under `root` (wire-formats §1.5: `<accountBalance>`
    /// for the balance, `<response>` otherwise).
    static func body(status: HTTPResponse.Status, xml: Bool, root: String, _ fields: [(String, Value)]) -> RenderedResponse {
        guard xml else {
            var object: [String: Any] = [:]
            for (name, value) in fields {
                switch value {
                case .text(let text): object[name] = text
                case .object(let pairs): object[name] = Dictionary(pairs, uniquingKeysWith: { first, _ in first })
                }
            }
            return json(status: status, object)
        }
        var text = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><\(root)>"
        for (name, value) in fields {
            switch value {
            case .text(let content): text += "<\(name)>\(escape(content))</\(name)>"
            case .object(let pairs): text += "<\(name)>" + pairs.map { "<\($0.0)>\(escape($0.1))</\($0.0)>" }.joined() + "</\(name)>"
            }
        }
        return bytes(status: status, ByteBuffer(string: text + "</\(root)>"), contentType: "application/xml")
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    static func html(status: HTTPResponse.Status, _ text: String) -> RenderedResponse {
        bytes(status: status, ByteBuffer(string: text), contentType: "text/html")
    }

    static func bytes(status: HTTPResponse.Status = .ok, _ buffer: ByteBuffer, contentType: String) -> RenderedResponse {
        RenderedResponse(status: status, headers: [.contentType: contentType], body: buffer)
    }

    /// XML when the client asks for it (`Accept: application/xml` or `text/xml`), else JSON.
    static func wantsXML(_ request: Request) -> Bool { wantsXML(accept: request.headers[.accept]) }

    static func wantsXML(accept: String?) -> Bool {
        guard let accept else { return false }
        return containsIgnoringCase(accept, "application/xml") || containsIgnoringCase(accept, "text/xml")
    }

    /// ASCII case-insensitive search, without Foundation's (it runs on every hot request).
    static func containsIgnoringCase(_ text: String, _ needle: StaticString) -> Bool {
        let bytes = Array(text.utf8)
        let count = needle.utf8CodeUnitCount
        guard bytes.count >= count else { return false }
        return needle.withUTF8Buffer { pattern in
            (0...(bytes.count - count)).contains { start in
                (0..<count).allSatisfy { bytes[start + $0] | 0x20 == pattern[$0] | 0x20 }
            }
        }
    }
}
