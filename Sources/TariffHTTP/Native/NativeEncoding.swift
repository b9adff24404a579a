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

    /// A JSON body of at most `limit` bytes, or a 400 saying what was wrong with it.
    static func decode<Body: Decodable>(_ type: Body.Type, _ request: Request, upTo limit: Int) async throws -> Body {
        let data = try await body(request, upTo: limit)
        do { return try JSONDecoder().decode(Body.self, from: Data(data.readableBytesView)) } catch {
            throw NativeError.badRequest("the body is not the JSON object this route takes")
        }
    }

    /// The request's body, or a 400 when it is longer than `limit` bytes.
    static func body(_ request: Request, upTo limit: Int) async throws -> ByteBuffer {
        do { return try await request.body.collect(upTo: limit) } catch {
            throw NativeError.badRequest("the body is larger than \(limit) bytes")
        }
    }

    /// Whether the client asked for CSV (`Accept: text/csv`) rather than JSON.
    static func wantsCSV(_ request: Request) -> Bool {
        request.headers[.accept]?.lowercased().contains("text/csv") == true
    }
}
