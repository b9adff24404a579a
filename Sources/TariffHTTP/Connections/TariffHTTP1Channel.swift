import HTTPTypes
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// HTTP/1.1 connections with every stage in view, in the order bytes meet them:
///
/// 1. the deadlines' byte watcher (after TLS, when there is TLS);
/// 2. NIO's decoder and encoder — the one HTTP parser;
/// 3. ``ExpectContinue``, which tells a client waiting to send a body to go on;
/// 4. ``KeepAlive``, which hands NIO's keep-alive decision on past the version-less types;
/// 5. the conversion to HTTP types;
/// 6. ``ConnectionDeadlines``, which sees every request and every answer;
/// 7. ``VonageFastPath`` unless it is switched off;
/// 8. Hummingbird's connection state and the router.
struct TariffHTTP1Channel: ServerChildChannel, HTTPChannelHandler {
    typealias Value = NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>

    let responder: HTTPChannelHandler.Responder
    let limits: ConnectionLimits
    /// Nil: every request goes to the router (`--fast-path off`).
    let fastPath: VonageFastResponder?

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            let pipeline = channel.pipeline.syncOperations
            let deadlines = ConnectionDeadlines(limits: limits)
            try pipeline.addHandler(deadlines.watcher)
            try pipeline.configureHTTPServerPipeline(
                withPipeliningAssistance: false,  // the router answers in order; the fast path waits its turn
                withErrorHandling: false,  // Hummingbird answers parse errors
                withOutboundHeaderValidation: false,  // HTTP types validate fields
                withEncoderConfiguration: .init(),
                withDecoderLimitConfiguration: Self.decoderLimits
            )
            try pipeline.addHandler(ExpectContinue())
            try pipeline.addHandler(KeepAlive())
            try pipeline.addHandler(HTTP1ToHTTPServerCodec(secure: false))
            try pipeline.addHandler(deadlines)
            if let fastPath { try pipeline.addHandler(VonageFastPath(responder: fastPath)) }
            try pipeline.addHandler(HTTPConnectionStateHandler(idleTimeout: nil, logger: logger))
            return try NIOAsyncChannel(wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
        }
    }

    /// Hummingbird's own limits for a head.
    static let decoderLimits: NIOHTTPDecoderLimitConfiguration = {
        var limits = NIOHTTPDecoderLimitConfiguration()
        limits.maxHeaderFieldSize = 80 * 1024
        limits.maxHeaderListSize = 80 * 1024
        limits.maxHeaderFieldCount = 1000
        return limits
    }()

    func handle(value: Value, logger: Logger) async {
        await handleHTTP(asyncChannel: value, logger: logger)
    }
}
