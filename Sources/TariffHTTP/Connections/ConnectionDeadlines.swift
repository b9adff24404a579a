import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Closes a connection that holds a place without using it: idle (no request under way) for
/// longer than `idleTimeout`, or with a request head started and not finished within
/// `headTimeout` (a client sending one header byte a second). A request under way is never
/// cut: its handler's time is its own.
///
/// It sits after the HTTP codec, where it sees request heads and response ends (the fast
/// path's and the router's), and its byte watcher sits in front of the decoder to learn when
/// a head has started.
final class ConnectionDeadlines: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// What the byte watcher and this handler share; touched only on the connection's event loop.
    final class Shared {
        /// Bytes arrived since the connection last went idle: a head is on its way.
        var headStarted = false
        var onFirstByte: (() -> Void)?
    }

    private let limits: ConnectionLimits
    private let shared = Shared()
    /// Goes in front of the decoder (after TLS).
    let watcher: ByteWatcher
    /// Requests whose head arrived and whose response has not ended.
    private var inFlight = 0
    private var timer: Scheduled<Void>?

    init(limits: ConnectionLimits) {
        self.limits = limits
        watcher = ByteWatcher(shared: shared)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        shared.onFirstByte = { [unowned self] in
            guard self.inFlight == 0 else { return }
            self.schedule(context, after: self.limits.headTimeout)
        }
        if context.channel.isActive { becameIdle(context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelTimer()
        shared.onFirstByte = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        becameIdle(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelTimer()
        shared.onFirstByte = nil
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head = unwrapInboundIn(data) {
            inFlight += 1
            cancelTimer()
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            inFlight = max(0, inFlight - 1)
            if inFlight == 0 { becameIdle(context) }
        }
        context.write(data, promise: promise)
    }

    private func becameIdle(_ context: ChannelHandlerContext) {
        shared.headStarted = false
        schedule(context, after: limits.idleTimeout)
    }

    private func schedule(_ context: ChannelHandlerContext, after delay: Duration) {
        cancelTimer()
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(delay)) { [weak self] in
            guard let self, self.inFlight == 0 else { return }
            self.timer = nil
            context.close(promise: nil)
        }
    }

    private func cancelTimer() {
        timer?.cancel()
        timer = nil
    }
}

/// Notes that bytes arrived, before the decoder holds them back until a head is whole.
final class ByteWatcher: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let shared: ConnectionDeadlines.Shared

    init(shared: ConnectionDeadlines.Shared) { self.shared = shared }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if !shared.headStarted {
            shared.headStarted = true
            shared.onFirstByte?()
        }
        context.fireChannelRead(data)
    }
}
