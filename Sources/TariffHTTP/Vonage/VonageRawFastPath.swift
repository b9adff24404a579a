import HTTPTypes
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
        head.writeString("HTTP/1.1 200 OK\r\ncontent-type: \(answer.head.headerFields[.contentType] ?? "application/json")\r\n")
        head.writeString("content-length: \(answer.body.readableBytes)\r\n\r\n")
        context.write(wrapOutboundOut(head), promise: nil)
        context.writeAndFlush(wrapOutboundOut(answer.body), promise: nil)
    }
}

/// Reads a request from raw bytes, for the fast path only: one whole HTTP/1.1 `GET` with no
/// body, nothing before or after it. Anything else — other versions, bodies, folded or odd
/// headers, pipelined requests, a request split over reads — is nil and left to the real decoder.
enum RawRequest {
    static let maximumLength = 8192

    static func parse(_ buffer: ByteBuffer) -> HTTPRequest? {
        buffer.withUnsafeReadableBytes { bytes -> HTTPRequest? in
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
            let suffix = Array(" HTTP/1.1".utf8)
            guard line.count > 4 + suffix.count, line.suffix(suffix.count).elementsEqual(suffix) else { return nil }
            let target = line.dropFirst(4).dropLast(suffix.count)
            guard target.first == UInt8(ascii: "/"), !target.contains(UInt8(ascii: " ")) else { return nil }

            var fields = HTTPFields()
            var authority: String?
            for range in lines.dropFirst() {
                let header = bytes[range]
                guard let colon = header.firstIndex(of: UInt8(ascii: ":")), colon > header.startIndex,
                      header.first != 32, header.first != 9,
                      let name = HTTPField.Name(String(decoding: header[header.startIndex..<colon], as: UTF8.self))
                else { return nil }
                var value = header[(colon + 1)...]
                while let first = value.first, first == 32 || first == 9 { value = value.dropFirst() }
                while let last = value.last, last == 32 || last == 9 { value = value.dropLast() }
                switch name {
                case .contentLength, .transferEncoding, .expect, .upgrade, .connection: return nil
                default: break
                }
                let text = String(decoding: value, as: UTF8.self)
                if name.canonicalName == "host" {
                    guard authority == nil else { return nil }
                    authority = text
                    continue
                }
                fields.append(HTTPField(name: name, value: text))
            }
            guard authority != nil else { return nil }
            return HTTPRequest(method: .get, scheme: nil, authority: authority, path: String(decoding: target, as: UTF8.self), headerFields: fields)
        }
    }
}
