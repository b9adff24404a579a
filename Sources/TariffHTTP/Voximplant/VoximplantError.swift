import Foundation
import Hummingbird
import NIOCore

/// An error of the platform API, answered as Voximplant does: `{"error":{"msg","code"}}` with
/// HTTP 200, since the Go SDK cannot read a body that comes with any other status.
struct VoximplantError: Error, HTTPResponseError, Equatable {
    let code: Int
    let message: String

    static func internalError() -> VoximplantError { VoximplantError(code: 2, message: "Internal error") }
    static func authorizationFailed(_ why: String? = nil) -> VoximplantError {
        VoximplantError(code: 100, message: why.map { "Authorization failed: \($0)" } ?? "Authorization failed")
    }
    static func invalidArgument(_ name: String, _ problem: String) -> VoximplantError {
        VoximplantError(code: 101, message: "Invalid argument '\(name)': \(problem)")
    }
    static func missingArgument(_ name: String) -> VoximplantError {
        VoximplantError(code: 101, message: "Missing required argument '\(name)'")
    }
    static func missingCommand() -> VoximplantError {
        VoximplantError(code: 102, message: "Missing 'cmd': name the method in the 'cmd' parameter or the path (/platform_api/GetAccountInfo)")
    }
    static func unknownCommand(_ name: String) -> VoximplantError { VoximplantError(code: 103, message: "Unknown command '\(name)'") }
    static func outputFormatNotSupported(_ format: String) -> VoximplantError {
        VoximplantError(code: 105, message: "Output format '\(format)' is not supported: json only")
    }
    static func invalidDate(_ name: String, _ text: String) -> VoximplantError {
        VoximplantError(code: 111, message: "Invalid date format in '\(name)': '\(text)' (YYYY-MM-DD or YYYY-MM-DD HH:mm:ss)")
    }

    var status: HTTPResponse.Status { .ok }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = ["error": Body(msg: message, code: code)]
        return VoximplantEncoding.response(try VoximplantEncoding.json(body))
    }

    private struct Body: Encodable {
        let msg: String
        let code: Int
    }
}

/// How every platform API body is written: JSON with snake_case keys, prices as exact
/// decimal numbers (whole prices without a decimal point, which Go's int fields can read).
enum VoximplantEncoding {
    /// `snakeCase` turns property names into wire names; it is off for bodies keyed by data,
    /// such as currency codes, which the strategy would lower-case.
    static func json(_ value: some Encodable, snakeCase: Bool = true) throws -> ByteBuffer {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        if snakeCase { encoder.keyEncodingStrategy = .convertToSnakeCase }
        return ByteBuffer(bytes: try encoder.encode(value))
    }

    static func response(_ body: ByteBuffer) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: body))
    }
}
