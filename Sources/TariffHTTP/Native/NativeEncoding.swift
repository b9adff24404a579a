import Foundation
import Hummingbird
import NIOCore

/// The native API's bodies.
enum NativeEncoding {
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return Response(
            status: status,
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: try encoder.encode(value)))
        )
    }

    /// JSON already written (`jsonText` of the records answered most often).
    static func json(text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// Whether the client asked for CSV (`Accept: text/csv`) rather than JSON.
    static func wantsCSV(_ request: Request) -> Bool {
        request.headers[.accept]?.lowercased().contains("text/csv") == true
    }
}
