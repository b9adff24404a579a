import Foundation
import Hummingbird
import HummingbirdTesting
import ServiceLifecycle
import TariffCore
import TariffStore
import Testing

@testable import TariffHTTP

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Idle and slow clients lose their connection; too many wait their turn. Each test waits for
/// the server to close a socket (an event), with the socket's receive timeout only as a guard.
@Suite("Connection limits")
struct ConnectionLimitTests {
    /// Runs a live server with `limits` and no other client than the test's own sockets.
    static func serve(_ limits: ConnectionLimits, _ body: @Sendable (Int) async throws -> Void) async throws {
        try await HTTPFixture.with { fixture in
            let (ports, listening) = AsyncStream.makeStream(of: Int.self)
            let app = try await fixture.liveApplication(ServerConfiguration(rateLimits: .off, connections: limits)) { port in
                listening.yield(port)
            }
            let group = ServiceGroup(configuration: .init(services: [app], logger: HTTPFixture.logger))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                var iterator = ports.makeAsyncIterator()
                let port = try #require(await iterator.next())
                do {
                    // One request first, so that keys are cached and the fast path is warm.
                    try await offPool {
                        let warm = try TestSocket(port: port)
                        defer { warm.close() }
                        try warm.send(Self.country)
                        _ = try warm.receiveBodies(1)
                    }
                    try await body(port)
                } catch {
                    await group.triggerGracefulShutdown()
                    throw error
                }
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
        }
    }

    static let country = "GET /account/get-pricing/outbound/sms?country=ES&api_key=k-eur&api_secret=s-eur HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"

    @Test("a connection that sends nothing is closed after the idle timeout")
    func idleClosed() async throws {
        try await Self.serve(ConnectionLimits(idleTimeout: .milliseconds(200), headTimeout: .seconds(3600))) { port in
            let outcome = try await offPool {
                let socket = try TestSocket(port: port)
                defer { socket.close() }
                return socket.waitForClose()
            }
            #expect(outcome == .closed)
        }
    }

    @Test("a request head that trickles in is cut at the head timeout, though bytes keep coming")
    func slowHeadClosed() async throws {
        try await Self.serve(ConnectionLimits(idleTimeout: .seconds(3600), headTimeout: .milliseconds(200))) { port in
            let outcome = try await offPool {
                let socket = try TestSocket(port: port)
                defer { socket.close() }
                try socket.send("GET /health HTTP/1.1\r\nHo")
                return socket.waitForClose()
            }
            #expect(outcome == .closed)
        }
    }

    @Test("after answers from the router and the fast path, an idle keep-alive connection is closed too")
    func idleAfterRequests() async throws {
        try await Self.serve(ConnectionLimits(idleTimeout: .milliseconds(300), headTimeout: .seconds(3600))) { port in
            let outcome = try await offPool {
                let socket = try TestSocket(port: port)
                defer { socket.close() }
                // In one write, so that no pause of a slow client between requests counts as idle:
                // the server is busy from the first head to the last answer.
                try socket.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" + Self.country + Self.country)
                _ = try socket.receiveBodies(3)
                return socket.waitForClose()
            }
            #expect(outcome == .closed)
        }
    }

    @Test("past the connection limit a client waits to be accepted, and is served when a place frees up")
    func capWaits() async throws {
        try await Self.serve(ConnectionLimits(idleTimeout: .seconds(3600), headTimeout: .seconds(3600), maxConnections: 1)) { port in
            let (waited, bodies) = try await offPool {
                let holder = try TestSocket(port: port)
                try holder.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                _ = try holder.receiveBodies(1)
                let waiting = try TestSocket(port: port)
                defer { waiting.close() }
                try waiting.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                // Not answered while the one place is taken (a slow machine only makes this pass more easily).
                let waited = waiting.waitForClose(timeout: 0.3)
                holder.close()
                return (waited, try waiting.receiveBodies(1))
            }
            #expect(waited == .timedOut)
            #expect(bodies.first?.contains("deck") == true)
        }
    }

    @Test("the default limit leaves descriptors for the database and the listener")
    func defaultFromDescriptors() {
        #expect(ConnectionLimits.descriptorBound(softLimit: 1024) == 960)
        #expect(ConnectionLimits.descriptorBound(softLimit: 20) == 16)
        #expect(ConnectionLimits.descriptorBound(softLimit: nil) == 10_000)
        #expect(ConnectionLimits.descriptorBound(softLimit: Int.max) == 100_000)
        #expect(ConnectionLimits(maxConnections: 7).effectiveMaxConnections == 7)
    }
}

extension TestSocket {
    enum Outcome: Equatable { case closed, timedOut, data }

    /// Reads until the server closes the connection (or `timeout` seconds pass without a byte);
    /// a read with data is one the test did not expect. Later reads get the usual 120 s guard.
    func waitForClose(timeout: Double = 60) -> Outcome {
        var time = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        var buffer = [UInt8](repeating: 0, count: 4096)
        let received = recv(fd, &buffer, buffer.count, 0)
        let failure = errno
        // Back to the socket's usual guard for whatever the test reads next.
        var usual = timeval(tv_sec: 120, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &usual, socklen_t(MemoryLayout<timeval>.size))
        if received == 0 { return .closed }
        if received < 0 { return failure == ECONNRESET ? .closed : .timedOut }
        return .data
    }
}

/// Runs blocking socket calls on a thread of their own: on the cooperative pool (two threads
/// here) they could starve the very server they wait for.
func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue(label: "tariff.tests.socket").async {
            continuation.resume(with: Result { try body() })
        }
    }
}
