import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTPTypes
import NIOSSL
import TariffCore

/// Answers the two hottest Vonage routes — country pricing and phone pricing — directly on the
/// connection's event loop, with the same bodies the router would give, when everything they
/// need is already in memory (a cached key, a body already rendered or a quote). Anything else,
/// errors included, goes on to the router unchanged: the fast path only ever answers 200.
///
/// Why: a request through the router costs a task, executor hops and middleware frames; for
/// these two routes that was most of the time spent (bench/http.sh).
final class VonageFastPath: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let responder: VonageFastResponder
    /// The answer to send when the request ends; nil while requests are passed on.
    private var pending: FastAnswer?
    private var passingOn = false
    private let gate = VonageRawFastPath.Gate()

    init(responder: VonageFastResponder) { self.responder = responder }

    /// Puts the raw stage in front of the HTTP decoder: Hummingbird adds extra handlers after
    /// its HTTP codec, and the raw stage must read bytes (after TLS, when there is TLS).
    func handlerAdded(context: ChannelHandlerContext) {
        let raw = VonageRawFastPath(responder: responder, gate: gate)
        let pipeline = context.pipeline.syncOperations
        if let tls = try? pipeline.handler(type: NIOSSLServerHandler.self) {
            try? pipeline.addHandler(raw, position: .after(tls))
        } else {
            try? pipeline.addHandler(raw, position: .first)
        }
    }

    /// A response the router wrote has ended: the raw stage may answer again.
    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { gate.answered() }
        context.write(data, promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let request):
            // Not while the router answers an earlier request of this connection: its answer goes first.
            if gate.inFlight == 0, let answer = responder.answer(request) {
                pending = answer
                passingOn = false
            } else {
                passingOn = true
                gate.inFlight += 1
                context.fireChannelRead(data)
            }
        case .body:
            if passingOn { context.fireChannelRead(data) }
        case .end:
            if passingOn {
                passingOn = false
                context.fireChannelRead(data)
            } else if let answer = pending {
                pending = nil
                var head = HTTPResponse(status: .ok)
                head.headerFields[.contentType] = answer.contentType
                head.headerFields[.contentLength] = String(answer.body.readableBytes)
                context.write(wrapOutboundOut(.head(head)), promise: nil)
                context.write(wrapOutboundOut(.body(answer.body)), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            }
        }
    }
}

/// What the fast path reads from a request: its target and two headers.
struct FastRequest {
    let target: Substring
    let authorization: String?
    let accept: String?
}

/// A fast-path answer: always 200.
struct FastAnswer {
    let contentType: String
    let body: ByteBuffer
}

/// The fast path's decisions, shared by every connection.
struct VonageFastResponder: Sendable {
    let pricing: VonagePricing
    let logger: Logger

    func answer(_ request: HTTPRequest) -> FastAnswer? {
        guard request.method == .get, request.headerFields[.connection] == nil, let path = request.path else { return nil }
        return answer(FastRequest(target: path[...], authorization: request.headerFields[.authorization], accept: request.headerFields[.accept]))
    }

    func answer(_ request: FastRequest) -> FastAnswer? {
        let target = request.target.utf8
        // Percent escapes, `+` and fragments are left to the router, which decodes them: the
        // fast path reads only plain text, so it never reads a request differently.
        guard !target.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "#") }) else { return nil }
        let question = target.firstIndex(of: UInt8(ascii: "?")) ?? target.endIndex
        let path = target[..<question]
        let segments = path.split(separator: UInt8(ascii: "/"))
        // /account/get-pricing/outbound/{type} and /account/get-phone-pricing/outbound/{type}
        guard segments.count == 4, segments[0].elementsEqual("account".utf8), segments[2].elementsEqual("outbound".utf8),
              let product = VonageCatalog.product(v1: String(Substring(segments[3])))
        else { return nil }
        var country: Substring?, phone: Substring?, apiKey: Substring?, apiSecret: Substring?
        if question < target.endIndex {
            for pair in target[target.index(after: question)...].split(separator: UInt8(ascii: "&")) {
                let equals = pair.firstIndex(of: UInt8(ascii: "=")) ?? pair.endIndex
                let value = Substring(equals < pair.endIndex ? pair[pair.index(after: equals)...] : pair[pair.endIndex...])
                // The first of a repeated parameter counts, as in the router.
                switch Substring(pair[..<equals]) {
                case "country": if country == nil { country = value }
                case "phone": if phone == nil { phone = value }
                case "api_key": if apiKey == nil { apiKey = value }
                case "api_secret": if apiSecret == nil { apiSecret = value }
                default: break
                }
            }
        }
        var credentials = request.authorization.flatMap(VonageCredentials.basic(header:))
        if credentials == nil, let apiKey, let apiSecret { credentials = VonageCredentials(apiKey: String(apiKey), secret: String(apiSecret)) }
        let xml = VonageFormat.wantsXML(accept: request.accept)
        let body: ByteBuffer
        switch Substring(segments[1]) {
        case "get-pricing":
            guard let country, !country.isEmpty, let account = pricing.authorizeCached(credentials, group: .pricing),
                  let rendered = try? VonageV1Controller<BasicRequestContext>.countryBody(pricing, product: product, account: account, iso: String(country), xml: xml)
            else { return nil }
            body = rendered
        case "get-phone-pricing":
            guard let phone, !phone.isEmpty, let account = pricing.authorizeCached(credentials, group: .pricing),
                  let rendered = try? VonageV1Controller<BasicRequestContext>.phoneBody(pricing, product: product, account: account, phone: String(phone), xml: xml)
            else { return nil }
            body = rendered
        default:
            return nil
        }
        // As RequestLogMiddleware: the path without the query, which carries the secret.
        logger.info("request", metadata: ["method": "GET", "path": "\(Substring(path))", "status": "200", "fast_path": "true"])
        return FastAnswer(contentType: xml ? "application/xml" : "application/json", body: body)
    }
}
