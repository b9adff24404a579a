import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension CLITests {
    @Test("SIGHUP does not stop tariff serve: it keeps answering, and serves a deck imported after it")
    func hangupKeepsServing() async throws {
        try await withSandbox { sandbox in
            _ = try await sandbox.run(["decks"])
            let port = try freePort()
            let process = Process()
            process.executableURL = try TariffExecutable.url()
            process.arguments = ["serve", "--database", sandbox.database, "--host", "127.0.0.1", "--port", String(port)]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            defer {
                if process.isRunning { process.terminate() }
                process.waitUntilExit()
            }
            let first = try await waitForHealth(port: port) { _ in true }
            #expect(first.contains("\"deck_version\":0"), "\(first)")

            kill(process.processIdentifier, SIGHUP)
            kill(process.processIdentifier, SIGHUP)
            let deck = try sandbox.write("deck.csv", "product,country,price,currency,effective_from\nsms-outbound,ES,0.05,EUR,2026-01-01\n")
            try await sandbox.succeed(["import", deck])
            kill(process.processIdentifier, SIGHUP)
            let after = try await waitForHealth(port: port) { !$0.contains("\"deck_version\":0") }
            #expect(process.isRunning)
            #expect(after.contains("\"deck_version\":1"), "\(after)")
        }
    }
}

/// A port nobody listens on now (the kernel's pick for port 0).
func freePort() throws -> Int {
    let fd = socket(AF_INET, streamSocketType, 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let ok = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
    }
    guard ok else { throw POSIXError(.EADDRNOTAVAIL) }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// `GET /health` until its body satisfies `done`; the bound only keeps a broken build from
/// hanging (under CI's load a debug `tariff serve` has taken minutes to start).
func waitForHealth(port: Int, until done: @escaping @Sendable (String) -> Bool) async throws -> String {
    let deadline = ContinuousClock.now + .seconds(900)
    while ContinuousClock.now < deadline {
        if let body = await healthBody(port: port), done(body) { return body }
        try await Task.sleep(for: .milliseconds(100))
    }
    throw POSIXError(.ETIMEDOUT)
}

/// One `GET /health`, on a thread of its own (a blocking socket must not hold the cooperative pool).
func healthBody(port: Int) async -> String? {
    await withCheckedContinuation { continuation in
        DispatchQueue(label: "tariff.cli-tests.health").async {
            let fd = socket(AF_INET, streamSocketType, 0)
            defer { close(fd) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var timeout = timeval(tv_sec: 120, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
            }
            guard connected else { return continuation.resume(returning: nil) }
            let request = Array("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
            guard send(fd, request, request.count, 0) == request.count else { return continuation.resume(returning: nil) }
            var data: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let received = recv(fd, &buffer, buffer.count, 0)
                if received <= 0 { break }
                data += buffer[..<received]
            }
            let text = String(decoding: data, as: UTF8.self)
            continuation.resume(returning: text.range(of: "\r\n\r\n").map { String(text[$0.upperBound...]) })
        }
    }
}
