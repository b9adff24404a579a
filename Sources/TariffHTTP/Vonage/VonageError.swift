import Foundation
import Hummingbird
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
        switch self {
        case .badRequest(let parameter, let message):
            return VonageFormat.json(status: status, [
                "type": "BAD_REQUEST", "error_title": "Bad Request", "invalid_parameters": ["parameter": parameter, "message": message],
            ] as [String: Any])
        case .authenticationFailed(let balance):
            if balance { return VonageFormat.json(status: status, ["error-code": "401", "error-code-label": "authentication failed"]) }
            return VonageFormat.json(status: status, ["currency": "EUR", "code": "401", "error-code-label": "authentication failed"])
        case .notFound:
            return VonageFormat.html(status: status, "404 - Page does not exist")
        case .methodFailed:
            var response = VonageFormat.json(status: status, ["error-code": "420", "error-code-label": "method failed"])
            response.headers[.contentDisposition] = "attachment; filename=\"api.txt\""
            return response
        case .tooManyRequests(let retryAfter):
            var response = VonageFormat.html(status: status, "429 - Too many requests")
            response.headers[.retryAfter] = String(retryAfter)
            return response
        case .unknownError:
            return VonageFormat.json(status: status, ["error-code": "500", "error-code-label": "unknown error"])
        case .problem(_, let type, let title, let detail):
            var response = VonageFormat.json(status: status, [
                "type": "https://developer.vonage.com/api-errors#\(type)", "title": title, "detail": detail,
                "instance": request.headers[.init("x-request-id")!] ?? UUID().uuidString.lowercased(),
            ])
            response.headers[.contentType] = "application/problem+json"
            return response
        }
    }
}

/// Response bodies in the content types Vonage uses.
enum VonageFormat {
    /// `application/json`, exactly: the nexmo SDK compares the media type without parameters.
    static func json(status: HTTPResponse.Status = .ok, _ object: Any) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return bytes(status: status, ByteBuffer(bytes: data), contentType: "application/json")
    }

    static func html(status: HTTPResponse.Status, _ text: String) -> Response {
        bytes(status: status, ByteBuffer(string: text), contentType: "text/html")
    }

    static func bytes(status: HTTPResponse.Status = .ok, _ buffer: ByteBuffer, contentType: String) -> Response {
        Response(status: status, headers: [.contentType: contentType], body: ResponseBody(byteBuffer: buffer))
    }

    /// XML when the client asks for it (`Accept: application/xml` or `text/xml`), else JSON.
    static func wantsXML(_ request: Request) -> Bool {
        let accept = request.headers[.accept]?.lowercased() ?? ""
        return accept.contains("application/xml") || accept.contains("text/xml")
    }
}
