import NIOCore
import NIOHTTP1

/// Answers `Expect: 100-continue` with `100 Continue` as soon as the head is read (RFC 9110
/// §10.1.1). curl sends it before any body over 1 MiB (as do .NET and Java clients) and then
/// waits a second before sending the body: a bulk upload would lose that second to nothing.
/// The answer to the request itself comes later, as always.
///
/// Only when no earlier request of the connection is still unanswered: a `100` written before
/// the answer to a pipelined request would read as that request's. Such a client sends its
/// body after its own wait, as without this handler.
final class ExpectContinue: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// Requests read whose final answer has not started.
    private var unanswered = 0

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let head) = unwrapInboundIn(data) {
            if unanswered == 0, head.version.major == 1, head.version.minor >= 1,
                head.headers[canonicalForm: "expect"].contains(where: { $0.lowercased() == "100-continue" })
            {
                context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .continue))), promise: nil)
            }
            unanswered += 1
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .head(let head) = unwrapOutboundIn(data), head.status.code >= 200, unanswered > 0 { unanswered -= 1 }
        context.write(data, promise: promise)
    }
}
