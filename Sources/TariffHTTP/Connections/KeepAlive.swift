import NIOCore
import NIOHTTP1

/// Carries NIO's keep-alive decision across the conversion to HTTP types, which drops the
/// request's version: a request after which the connection must close (HTTP/1.0 without
/// `keep-alive`, or any `close` token, in any case) reaches the router and the fast path with
/// exactly `Connection: close`, which both read. Its answer says `Connection: close`; an
/// HTTP/1.0 client that asked to keep the connection is told `Connection: keep-alive`.
final class KeepAlive: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private enum Promise { case close, keepAlive10, nothing }
    /// One per request whose answer has not started, in order (answers keep the order of requests).
    private var promises: CircularBuffer<Promise> = []

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(var head) = unwrapInboundIn(data) else { return context.fireChannelRead(data) }
        if !head.isKeepAlive {
            head.headers.replaceOrAdd(name: "connection", value: "close")
            promises.append(.close)
        } else {
            promises.append(head.version == .http1_0 ? .keepAlive10 : .nothing)
        }
        context.fireChannelRead(wrapInboundOut(.head(head)))
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        // An interim answer is not the answer; a head with no request left is the parse-error
        // answer, which says close itself.
        guard case .head(var head) = unwrapOutboundIn(data), head.status.code >= 200, let kept = promises.popFirst() else {
            return context.write(data, promise: promise)
        }
        switch kept {
        case .close: head.headers.replaceOrAdd(name: "connection", value: "close")
        case .keepAlive10: head.headers.replaceOrAdd(name: "connection", value: "keep-alive")
        case .nothing: return context.write(data, promise: promise)
        }
        context.write(wrapOutboundOut(.head(head)), promise: promise)
    }
}
