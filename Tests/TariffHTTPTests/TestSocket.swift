import Foundation

#if canImport(Glibc)
import Glibc
// `socket` takes SOCK_STREAM as an Int32: Glibc declares it as an enum, Darwin as a constant.
let streamSocketType = Int32(SOCK_STREAM.rawValue)
private let systemSend = Glibc.send
private let systemClose = Glibc.close
#elseif canImport(Darwin)
import Darwin
let streamSocketType = SOCK_STREAM
private let systemSend = Darwin.send
private let systemClose = Darwin.close
#endif

/// A blocking TCP client that reads HTTP/1.1 responses with a Content-Length.
struct TestSocket {
    let fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, streamSocketType, 0)
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
        guard systemSend(fd, bytes, bytes.count, 0) == bytes.count else { throw POSIXError(.EIO) }
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

    func close() { _ = systemClose(fd) }

    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        return (0...(haystack.count - needle.count)).first { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
    }
}
