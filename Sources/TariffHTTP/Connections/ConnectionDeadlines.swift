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
///
/// Requests come thousands of times a second on a busy connection, so they only note the time:
/// one timer per connection, never sooner than `headTimeout` away, checks the deadlines when it
/// fires and is armed again only if the connection is still open and not busy.
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
    /// When the connection went idle, and when the head under way began.
    private var idleSince = NIODeadline.now()
    private var headSince: NIODeadline?
    private var timer: (task: Scheduled<Void>, at: NIODeadline)?

    init(limits: ConnectionLimits) {
        self.limits = limits
        watcher = ByteWatcher(shared: shared)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        shared.onFirstByte = { [unowned self] in
            guard self.inFlight == 0 else { return }
            let now = NIODeadline.now()
            self.headSince = now
            self.arm(context, at: now + TimeAmount(self.limits.headTimeout))
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
            headSince = nil
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
        headSince = nil
        idleSince = .now()
        arm(context, at: idleSince + TimeAmount(min(limits.idleTimeout, limits.headTimeout)))
    }

    /// The instant the connection is to be closed at if nothing happens; nil while it is busy.
    private var deadline: NIODeadline? {
        guard inFlight == 0 else { return nil }
        if let headSince { return headSince + TimeAmount(limits.headTimeout) }
        return idleSince + TimeAmount(limits.idleTimeout)
    }

    /// A check at `at` at the latest: a timer due sooner is kept (it arms again when it fires).
    private func arm(_ context: ChannelHandlerContext, at instant: NIODeadline) {
        if let timer, timer.at <= instant { return }
        cancelTimer()
        let task = context.eventLoop.assumeIsolated().scheduleTask(deadline: instant) { [weak self] in
            guard let self else { return }
            self.timer = nil
            self.check(context)
        }
        timer = (task, instant)
    }

    private func check(_ context: ChannelHandlerContext) {
        guard let deadline else { return }  // busy: going idle arms the timer again
        let now = NIODeadline.now()
        if now >= deadline {
            context.close(promise: nil)
        } else {
            arm(context, at: min(deadline, now + TimeAmount(limits.headTimeout)))
        }
    }

    private func cancelTimer() {
        timer?.task.cancel()
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
