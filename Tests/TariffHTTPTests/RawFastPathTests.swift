import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import TariffHTTP
import Testing

#if canImport(Glibc)
import Glibc
#endif

@testable import TariffHTTP

@Suite("Vonage fast path: raw requests")
struct RawFastPathTests {
    static func parse(_ text: String) -> FastRequest? { RawRequest.parse(ByteBuffer(string: text)) }

    @Test("one whole GET is read: its target and the headers the fast path needs, names in any case")
    func reads() throws {
        let request = try #require(Self.parse(
            "GET /account/get-pricing/outbound/sms?country=ES HTTP/1.1\r\nHost: h:1\r\nACCEPT:  application/xml \r\nauthorization: Basic eA==\r\nX-Other: 1\r\n\r\n"
        ))
        #expect(request.target == "/account/get-pricing/outbound/sms?country=ES")
        #expect(request.accept == "application/xml")
        #expect(request.authorization == "Basic eA==")
        #expect(Self.parse("GET / HTTP/1.1\r\nhost: h\r\n\r\n")?.authorization == nil)
    }

    @Test("anything else is left to the decoder", arguments: [
        "GET / HTTP/1.0\r\nHost: h\r\n\r\n",                                   // another version
        "POST / HTTP/1.1\r\nHost: h\r\n\r\n",                                  // another method
        "GET / HTTP/1.1\r\nHost: h\r\n",                                       // split over reads
        "GET / HTTP/1.1\r\nHost: h\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n",  // pipelined
        "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\n\r\n",              // a body
        "GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n",              // closing
        "GET / HTTP/1.1\r\nHost: h\r\nTRANSFER-ENCODING: chunked\r\n\r\n",     // a body, any case
        "GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n continued\r\n\r\n",           // folded
        "GET / HTTP/1.1\nHost: h\r\n\r\n",                                     // bare line feed
        "GET / HTTP/1.1\r\nAccept: */*\r\n\r\n",                               // no host
        "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",                        // two hosts
        "GET  / HTTP/1.1\r\nHost: h\r\n\r\n",                                  // odd request line
        "GET / HTTP/1.1\r\nBad Name: x\r\nHost: h\r\n\r\n",                    // not a field name
    ])
    func leavesTheRest(_ text: String) {
        #expect(Self.parse(text) == nil)
    }

    @Test("pipelined and mixed requests on one connection are answered in order, fast or not")
    func order() async throws {
        try await HTTPFixture.with { fixture in
            let app = try await fixture.liveApplication()
            try await app.test(.live) { client in
                let country = "/account/get-pricing/outbound/sms?country=ES&api_key=k-eur&api_secret=s-eur"
                let router = try await client.execute(uri: country, method: .get)
                let phone = try await client.execute(uri: "/account/get-phone-pricing/outbound/sms?phone=34612345678&api_key=k-eur&api_secret=s-eur", method: .get)
                let port = try #require(client.port)
                let request = { @Sendable (target: String) in "GET \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" }
                let phoneTarget = "/account/get-phone-pricing/outbound/sms?phone=34612345678&api_key=k-eur&api_secret=s-eur"
                // A request the router answers (the health check) with a fast one right behind it:
                // the fast one must wait its turn, whether the two arrive in one read or two.
                let (first, second, third) = try await offPool {
                    let socket = try TestSocket(port: port)
                    defer { socket.close() }
                    try socket.send(request("/health"))
                    try socket.send(request(country))
                    let first = try socket.receiveBodies(2)
                    // Then one at a time; and two at once (pipelined: left to the decoder).
                    try socket.send(request(phoneTarget))
                    let second = try socket.receiveBodies(1)
                    try socket.send(request(country) + request(phoneTarget))
                    return (first, second, try socket.receiveBodies(2))
                }
                #expect(first[0].contains("deck"))
                #expect(first[1] == router.text)
                #expect(second == [phone.text])
                #expect(third == [router.text, phone.text])
            }
        }
    }
}

/// A blocking TCP client that reads HTTP/1.1 responses with a Content-Length.
struct TestSocket {
    let fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
        // Only a guard against a hang: a loaded CI machine can take many seconds to answer.
        var timeout = timeval(tv_sec: 120, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        guard Glibc.send(fd, bytes, bytes.count, 0) == bytes.count else { throw POSIXError(.EIO) }
    }

    /// The bodies of the next `count` responses.
    func receiveBodies(_ count: Int) throws -> [String] {
        var data: [UInt8] = []
        var bodies: [String] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while bodies.count < count {
            if let end = Self.find(Array("\r\n\r\n".utf8), in: data) {
                let head = String(decoding: data[..<end], as: UTF8.self).lowercased()
                guard let line = head.split(separator: "\r\n").first(where: { $0.hasPrefix("content-length:") }),
                      let length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces))
                else { throw POSIXError(.EBADMSG) }
                if data.count >= end + 4 + length {
                    bodies.append(String(decoding: data[(end + 4)..<(end + 4 + length)], as: UTF8.self))
                    data.removeFirst(end + 4 + length)
                    continue
                }
            }
            let received = recv(fd, &buffer, buffer.count, 0)
            guard received > 0 else { throw POSIXError(.ETIMEDOUT) }
            data += buffer[..<received]
        }
        return bodies
    }

    func close() { _ = Glibc.close(fd) }

    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        return (0...(haystack.count - needle.count)).first { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
    }
}
