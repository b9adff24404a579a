import NIOCore

/// The fast path's first stage, in front of the HTTP decoder: a read that holds one whole
/// `GET` request (the usual case for keep-alive clients) is answered from its bytes, without
/// HTTP decoding, header conversion or response encoding — the HTTP stack cost as much as the
/// pricing itself (bench/http.sh). Anything it does not answer goes on to the decoder
/// unchanged, and while the router is answering a request it answers nothing, so that
/// responses keep the order of requests.
final class VonageRawFastPath: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// What the two stages of one connection share; touched only on its event loop.
    final class Gate {
        /// Requests passed on to the router and not yet answered.
        var inFlight = 0
        /// Set for good once bytes that are not one whole request were passed on: the decoder
        /// may then be inside a request, and raw bytes can no longer be read as a new one.
        var closed = false

        func answered() { inFlight = max(0, inFlight - 1) }
    }

    private let responder: VonageFastResponder
    private let gate: Gate

    init(responder: VonageFastResponder, gate: Gate) {
        self.responder = responder
        self.gate = gate
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !gate.closed else { return context.fireChannelRead(data) }
        guard let request = RawRequest.parse(unwrapInboundIn(data)) else {
            gate.closed = true
            return context.fireChannelRead(data)
        }
        // The decoder hands a request on to the second stage before fireChannelRead returns,
        // and the second stage counts what it passes to the router.
        guard gate.inFlight == 0, let answer = responder.answer(request) else { return context.fireChannelRead(data) }
        var head = context.channel.allocator.buffer(capacity: 96)
        head.writeString("HTTP/1.1 200 OK\r\ncontent-type: \(answer.contentType)\r\n")
        head.writeString("content-length: \(answer.body.readableBytes)\r\n\r\n")
        context.write(wrapOutboundOut(head), promise: nil)
        context.writeAndFlush(wrapOutboundOut(answer.body), promise: nil)
        // The decoder never saw this request: the connection's deadlines learn of it here.
        context.fireUserInboundEventTriggered(ConnectionDeadlines.RequestAnswered())
    }
}

/// Reads a request from raw bytes, for the fast path only: one whole HTTP/1.1 `GET` with no
/// body, nothing before or after it. Anything else — other versions, bodies, folded or odd
/// headers, pipelined requests, a request split over reads — is nil and left to the real decoder.
enum RawRequest {
    static let maximumLength = 8192

    static func parse(_ buffer: ByteBuffer) -> FastRequest? {
        buffer.withUnsafeReadableBytes { bytes -> FastRequest? in
            let count = bytes.count
            guard count >= 18, count <= maximumLength,
                  bytes[0] == UInt8(ascii: "G"), bytes[1] == UInt8(ascii: "E"), bytes[2] == UInt8(ascii: "T"), bytes[3] == UInt8(ascii: " "),
                  bytes[count - 4] == 13, bytes[count - 3] == 10, bytes[count - 2] == 13, bytes[count - 1] == 10
            else { return nil }
            // Lines up to the blank one that ends the head, which must be the end of the bytes.
            var lines: [Range<Int>] = []
            var start = 0
            var index = 0
            while index < count - 1 {
                if bytes[index] == 13 {
                    guard bytes[index + 1] == 10 else { return nil }
                    if index == start {
                        guard index + 2 == count else { return nil }
                        break
                    }
                    lines.append(start..<index)
                    start = index + 2
                    index += 2
                } else {
                    // Bare line feeds and other control characters are the real decoder's to judge.
                    guard bytes[index] >= 32 || bytes[index] == 9 else { return nil }
                    index += 1
                }
            }
            guard let requestLine = lines.first else { return nil }
            let line = bytes[requestLine]
            let suffix = " HTTP/1.1".utf8
            guard line.count > 4 + suffix.count, line.suffix(suffix.count).elementsEqual(suffix) else { return nil }
            let target = line.dropFirst(4).dropLast(suffix.count)
            guard target.first == UInt8(ascii: "/"), !target.contains(UInt8(ascii: " ")) else { return nil }

            var host = false
            var authorization: String?
            var accept: String?
            for range in lines.dropFirst() {
                let header = bytes[range]
                guard let colon = header.firstIndex(of: UInt8(ascii: ":")), colon > header.startIndex,
                      header[header.startIndex..<colon].allSatisfy(isTokenCharacter)
                else { return nil }
                var value = header[(colon + 1)...]
                while let first = value.first, first == 32 || first == 9 { value = value.dropFirst() }
                while let last = value.last, last == 32 || last == 9 { value = value.dropLast() }
                switch Field(name: header[header.startIndex..<colon]) {
                case .host:
                    guard !host else { return nil }
                    host = true
                case .authorization: authorization = String(decoding: value, as: UTF8.self)
                case .accept: accept = String(decoding: value, as: UTF8.self)
                case .refused: return nil
                case .other: continue
                }
            }
            guard host else { return nil }
            return FastRequest(target: Substring(String(decoding: target, as: UTF8.self)), authorization: authorization, accept: accept)
        }
    }

    /// The header fields the fast path reads or refuses.
    enum Field {
        case host, authorization, accept
        /// A body, a connection that ends or changes protocol: the real decoder's business.
        case refused
        case other

        init(name: Slice<UnsafeRawBufferPointer>) {
            func named(_ text: String) -> Bool {
                name.count == text.utf8.count && zip(name, text.utf8).allSatisfy { $0 | 0x20 == $1 }
            }
            if named("host") { self = .host }
            else if named("authorization") { self = .authorization }
            else if named("accept") { self = .accept }
            else if named("content-length") || named("transfer-encoding") || named("expect") || named("upgrade") || named("connection") {
                self = .refused
            } else { self = .other }
        }
    }

    /// RFC 9110 token characters, which a field name is made of.
    static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "*"),
             UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"),
             UInt8(ascii: "~"): true
        default: false
        }
    }
}
