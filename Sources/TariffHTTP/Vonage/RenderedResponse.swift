import HTTPTypes
import Hummingbird
import NIOCore

/// A whole answer before it is written. The router returns it as a `Response`, the fast path
/// writes it as response parts: both are made from this one value, so they cannot differ.
struct RenderedResponse: Sendable {
    var status: HTTPResponse.Status
    /// Fields other than Content-Length, Date and Server, in the order they are sent.
    var headers: HTTPFields
    var body: ByteBuffer

    /// For the router: Hummingbird adds Content-Length here, and Date and Server after the handler.
    var response: Response { Response(status: status, headers: headers, body: ResponseBody(byteBuffer: body)) }

    /// For the fast path: the head the router's answer has, with its fields in the same order.
    func head(date: String, server: String) -> HTTPResponse {
        var fields = headers
        fields[.contentLength] = String(body.readableBytes)
        fields[.date] = date
        fields[.server] = server
        return HTTPResponse(status: status, headerFields: fields)
    }
}
