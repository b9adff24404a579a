import Foundation
import Testing

@testable import TariffHTTP

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A client that asks before sending a body (curl does above 1 MiB) is told to go on at once,
/// instead of waiting out its own timer. Each step waits for bytes from the server, an event;
/// the socket's receive timeout is only a guard against a hang.
@Suite("Expect: 100-continue")
struct ExpectContinueTests {
    static let body = "number\n+34612345678\n"
    static func head(expect: Bool, version: String = "HTTP/1.1") -> String {
        let key = Data("k-eur:s-eur".utf8).base64EncodedString()
        return "POST /v1/prices:bulk?product=sms HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic \(key)\r\n"
            .replacingOccurrences(of: "HTTP/1.1", with: version)
            + "Content-Type: text/csv\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n" + (expect ? "Expect: 100-continue\r\n" : "")
            + "\r\n"
    }

    @Test("the head alone is answered 100 Continue; the body then gets its prices")
    func continues() async throws {
        try await ConnectionLimitTests.serve(ConnectionLimits()) { port in
            let (interim, answer) = try await offPool {
                let socket = try TestSocket(port: port)
                defer { socket.close() }
                try socket.send(Self.head(expect: true))
                let interim = try socket.receiveHead()
                try socket.send(Self.body)
                return (interim, try socket.receiveUntilClosed())
            }
            #expect(interim == "HTTP/1.1 100 Continue")
            #expect(answer.hasPrefix("HTTP/1.1 200 OK"), "\(answer)")
            #expect(answer.contains("+34612345678,+34612345678,ES"), "\(answer)")
            #expect(!answer.contains("100 Continue"), "one interim answer only")
        }
    }

    @Test("no 100 Continue unasked, nor to HTTP/1.0")
    func onlyWhenAsked() async throws {
        try await ConnectionLimitTests.serve(ConnectionLimits()) { port in
            for head in [Self.head(expect: false), Self.head(expect: true, version: "HTTP/1.0")] {
                let answer = try await offPool {
                    let socket = try TestSocket(port: port)
                    defer { socket.close() }
                    try socket.send(head + Self.body)
                    return try socket.receiveUntilClosed()
                }
                #expect(answer.hasPrefix("HTTP/1.") && answer.contains(" 200 OK"), "\(answer)")
                #expect(!answer.contains("100 Continue"), "\(answer)")
            }
        }
    }
}

extension TestSocket {
    /// The next head's lines, up to the blank line, without it.
    func receiveHead() throws -> String {
        var data: [UInt8] = []
        var byte: UInt8 = 0
        while Self.find(Array("\r\n\r\n".utf8), in: data) == nil {
            guard recv(fd, &byte, 1, 0) == 1 else { throw POSIXError(.EBADMSG) }
            data.append(byte)
        }
        return String(decoding: data.dropLast(4), as: UTF8.self)
    }

    /// Everything the server sends until it closes the connection.
    func receiveUntilClosed() throws -> String {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            guard count >= 0 else { throw POSIXError(.EIO) }
            if count == 0 { break }
            data.append(contentsOf: buffer[..<count])
        }
        return String(decoding: data, as: UTF8.self)
    }
}
