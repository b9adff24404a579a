import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOHTTPTypes
import Synchronization

/// Answers the two hottest Vonage routes on the connection's event loop, straight after NIO's
/// decoder, when everything the answer needs is in memory: it skips the task, the executor
/// hops and the middleware frames that a request through the router costs (on 2026-12-01, 78
/// instead of 90 µs of CPU per number-pricing request, and a lower p99: bench/http.sh).
/// It decides nothing itself: the answer, errors and rate-limit token included, comes from
/// ``VonageHotRoutes``, as the router's does. Everything else goes on to the router unchanged.
final class VonageFastPath: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let responder: VonageFastResponder
    /// The request under way goes to the router (else it was answered here: its body is dropped).
    private var passingOn = false
    /// Requests passed on to the router whose answers have not ended: while there are any,
    /// this handler answers nothing, so that answers keep the order of requests.
    private var withRouter = 0
    /// A read was asked for while the client was not taking our writes.
    private var readHeld = false

    init(responder: VonageFastResponder) { self.responder = responder }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            // Answered at once, as the router answers before reading a body.
            if withRouter == 0, let answer = responder.answer(head) {
                passingOn = false
                context.write(wrapOutboundOut(.head(answer.head(date: responder.date.current, server: responder.serverName))), promise: nil)
                context.write(wrapOutboundOut(.body(answer.body)), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            } else {
                passingOn = true
                withRouter += 1
                context.fireChannelRead(data)
            }
        case .body:
            // The body of a request answered here is read and dropped, as the router drops it.
            if passingOn { context.fireChannelRead(data) }
        case .end:
            if passingOn {
                passingOn = false
                context.fireChannelRead(data)
            }
        }
    }

    /// An answer the router wrote has ended.
    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { withRouter = max(0, withRouter - 1) }
        context.write(data, promise: promise)
    }

    /// Back-pressure: a client that sends requests without reading the answers is not read
    /// from until it catches up, so that answers do not pile up in memory.
    func read(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            context.read()
        } else {
            readHeld = true
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable, readHeld {
            readHeld = false
            context.read()
        }
        context.fireChannelWritabilityChanged()
    }
}

/// What every connection's fast path shares.
struct VonageFastResponder: Sendable {
    let routes: VonageHotRoutes
    let logger: Logger
    let date: HTTPDate
    let serverName: String
    let metrics: ServerMetrics
    /// Answers given here, for tests that must know the fast path took their requests.
    let answered = Counter()

    final class Counter: Sendable {
        private let value = Atomic<Int>(0)
        func increment() { value.add(1, ordering: .relaxed) }
        var count: Int { value.load(ordering: .relaxed) }
    }

    /// The answer, or nil for the router: a request that ends the connection or expects an
    /// interim answer is the router's, like anything the hot routes cannot answer from memory.
    func answer(_ head: HTTPRequest) -> RenderedResponse? {
        let started = ContinuousClock.now
        guard head.headerFields[.connection] != "close", head.headerFields[.expect] == nil,
            let (answer, path, route) = routes.answerFromMemory(head)
        else { return nil }
        answered.increment()
        RequestLogMiddleware<BasicRequestContext>.log(
            logger,
            metrics,
            method: head.method,
            path: path,
            route: route.template,
            showPath: true,
            responder: .fastPath,
            status: Int(answer.status.code),
            started: started
        )
        return answer
    }
}
