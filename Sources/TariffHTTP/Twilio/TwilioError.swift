import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Twilio's error body, `{"code", "message", "more_info", "status"}`, with Twilio's own codes:
/// the SDK raises `TwilioRestException` from its `code` and `message` (wire-formats §3.3).
struct TwilioError: Error, HTTPResponseError {
    let status: HTTPResponse.Status
    let code: Int
    let message: String
    /// Seconds to wait, for a 429.
    var retryAfter: Int? = nil

    /// 401, 20003: no credentials, or not an account's key and secret.
    static var authenticate: Self { Self(status: .unauthorized, code: 20003, message: "Authenticate") }

    /// 404, 20404: a country, number or path this server has no price for.
    static func notFound(_ path: String, because reason: String? = nil) -> Self {
        Self(status: .notFound, code: 20404, message: "The requested resource \(path) was not found" + (reason.map { ": " + $0 } ?? ""))
    }

    /// 400, 20001: a query parameter out of range or unreadable.
    static func invalidParameter(_ message: String) -> Self { Self(status: .badRequest, code: 20001, message: message) }

    static func tooManyRequests(retryAfter: Int) -> Self {
        Self(status: .tooManyRequests, code: 20429, message: "Too Many Requests", retryAfter: retryAfter)
    }

    /// 500, 20500; the cause is logged, not sent.
    static func internalError(_ message: String = "An internal server error has occurred") -> Self {
        Self(status: .internalServerError, code: 20500, message: message)
    }

    static var unavailable: Self {
        Self(status: .serviceUnavailable, code: 20503, message: "Service is unavailable; retry the request")
    }

    private struct Body: Encodable {
        let code: Int
        let message: String
        let moreInfo: String
        let status: Int
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = Body(code: code, message: message, moreInfo: "https://www.twilio.com/docs/errors/\(code)", status: Int(status.code))
        var headers: HTTPFields = [.contentType: "application/json"]
        if status == .unauthorized { headers[.wwwAuthenticate] = "Basic realm=\"Twilio API\"" }
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: try TwilioEncoding.json(body)))
    }
}
