import Foundation
import TariffCore
import TariffStore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

#if canImport(Glibc)
private let streamSocket = Int32(SOCK_STREAM.rawValue)
// A server gone mid-request must give EPIPE, not kill the bench.
private let sendFlags = Int32(MSG_NOSIGNAL)
#else
private let streamSocket = SOCK_STREAM
private let sendFlags: Int32 = 0
#endif

/// The children the scale section starts and watches: `tariff serve`, a minimal HTTP client
/// for it, CLI commands measured one by one, and memory read from /proc.
extension ScaleBench {
    // MARK: The server

    /// A `tariff serve` child. `stop()` may be called more than once: a defer calls it again.
    final class Server {
        let process: Process
        let port: Int
        let log: String
        let launched: ContinuousClock.Instant
        private let output: FileHandle
        private var stopped = false

        var pid: Int32 { process.processIdentifier }

        init(tariff: String, database: String, log: String) throws {
            let port = ScaleBench.freePort()
            _ = FileManager.default.createFile(atPath: log, contents: nil)
            let output = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
            let process = Process()
            process.executableURL = URL(fileURLWithPath: tariff)
            process.arguments = ["serve", "--database", database, "--port", String(port), "--log-level", "info"]
            process.standardOutput = output
            process.standardError = output
            self.process = process
            self.port = port
            self.log = log
            self.output = output
            launched = ContinuousClock.now
            try process.run()
        }

        /// Seconds from launch to the first 200 from /health; nil if it exits or `limit` passes.
        func waitUntilHealthy(limit: Double) -> Double? {
            while ScaleBench.since(launched) < limit {
                guard process.isRunning else { return nil }
                if let answer = ScaleBench.httpGet(port: port, path: "/health"), answer.status == 200 {
                    return ScaleBench.since(launched)
                }
                usleep(20_000)
            }
            return nil
        }

        func stop() {
            guard !stopped else { return }
            stopped = true
            if process.isRunning {
                process.terminate()
                // SIGTERM lets requests in flight finish; one that will not stop is killed.
                let deadline = ContinuousClock.now + .seconds(30)
                while process.isRunning, ContinuousClock.now < deadline { usleep(20_000) }
                if process.isRunning { _ = kill(process.processIdentifier, SIGKILL) }
            }
            process.waitUntilExit()
            try? output.close()
        }
    }

    /// A port nobody listens on now: the kernel's pick for port 0 (or a random high one).
    static func freePort() -> Int {
        let fallback = 18_000 + Int.random(in: 0..<2_000)
        let descriptor = socket(AF_INET, streamSocket, 0)
        guard descriptor >= 0 else { return fallback }
        defer { _ = close(descriptor) }
        var address = loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound: Bool = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw -> Bool in
                guard bind(descriptor, raw, length) == 0 else { return false }
                return getsockname(descriptor, raw, &length) == 0
            }
        }
        guard bound else { return fallback }
        let port = Int(UInt16(bigEndian: address.sin_port))
        return port > 0 ? port : fallback
    }

    static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        #if canImport(Darwin)
        address.sin_len = UInt8(MemoryLayout<sockaddr_in>.size)
        #endif
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }

    // MARK: A minimal HTTP/1.1 client

    struct Answer {
        let status: Int
        let body: String
    }

    /// One blocking GET on its own connection; nil when nothing answers (not listening yet).
    static func httpGet(port: Int, path: String, authorization: String? = nil) -> Answer? {
        let descriptor = socket(AF_INET, streamSocket, 0)
        guard descriptor >= 0 else { return nil }
        defer { _ = close(descriptor) }
        #if canImport(Darwin)
        var one: Int32 = 1
        _ = setsockopt(descriptor, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
        #endif
        var address = loopback(port: UInt16(port))
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return nil }

        var head = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUser-Agent: tariff-bench\r\nAccept-Encoding: gzip\r\n"
        if let authorization { head += "Authorization: \(authorization)\r\n" }
        head += "Connection: close\r\n\r\n"
        let request = Array(head.utf8)
        var sent = 0
        while sent < request.count {
            let count = request.withUnsafeBytes { send(descriptor, $0.baseAddress! + sent, $0.count - sent, sendFlags) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return nil }
            sent += count
        }

        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        // poll, not SO_RCVTIMEO: a wedged server costs at most this long per request.
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            var ready = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let polled = poll(&ready, 1, 1_000)
            if polled < 0, errno == EINTR { continue }
            if polled < 0 { return nil }
            if polled == 0 { continue }
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return parse(response, closed: true) }
            response += buffer[0..<count]
            if let answer = parse(response, closed: false) { return answer }
        }
        return nil
    }

    /// The answer once it is complete: by Content-Length, or when the server has closed.
    static func parse(_ bytes: [UInt8], closed: Bool) -> Answer? {
        guard bytes.count >= 4,
            let end = (0...(bytes.count - 4)).first(where: {
                bytes[$0] == 13 && bytes[$0 + 1] == 10 && bytes[$0 + 2] == 13 && bytes[$0 + 3] == 10
            })
        else { return nil }
        let lines = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines.first?.split(separator: " ") ?? []
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { return nil }
        let length = lines.dropFirst().first { $0.lowercased().hasPrefix("content-length:") }
            .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) }
        let body = bytes[(end + 4)...]
        if let length, body.count >= length {
            return Answer(status: status, body: String(decoding: body.prefix(length), as: UTF8.self))
        }
        return closed ? Answer(status: status, body: String(decoding: body, as: UTF8.self)) : nil
    }

    // MARK: Children measured one by one

    /// Runs a child to completion and returns its own peak RSS: wait4's rusage is that child's,
    /// where RUSAGE_CHILDREN is the maximum over every child so far.
    static func runMeasured(
        _ path: String,
        _ arguments: [String],
        output: String = "/dev/null",
        errors: String = "/dev/null"
    )
        -> (status: Int32, seconds: Double, peakKiB: Int)
    {
        #if canImport(Glibc)
        var actions = posix_spawn_file_actions_t()
        #else
        var actions: posix_spawn_file_actions_t?
        #endif
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, errors, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        // Linux counts into a spawned child's ru_maxrss the resident size of the process it
        // was spawned from (this bench, hundreds of MB), up to its exec. /usr/bin/time forks a
        // fresh process, whose figure is the child's own; it writes that to `peakFile`.
        let timer = "/usr/bin/time"
        let peakFile = FileManager.default.temporaryDirectory.appendingPathComponent("tariff-bench-peak-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: peakFile) }
        let viaTimer = FileManager.default.isExecutableFile(atPath: timer)
        let command = viaTimer ? [timer, "-f", "%M", "-o", peakFile, path] + arguments : [path] + arguments
        let argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }

        var pid = pid_t()
        let start = ContinuousClock.now
        let spawned = posix_spawn(&pid, command[0], &actions, nil, argv, envp)
        guard spawned == 0 else {
            print("  cannot start \(path): \(String(cString: strerror(spawned)))")
            return (-1, 0, 0)
        }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 {
            guard errno == EINTR else { return (-1, since(start), 0) }
        }
        let elapsed = since(start)
        var peakKiB = Int(usage.ru_maxrss)
        #if canImport(Darwin)
        peakKiB /= 1024  // bytes there, KiB on Linux
        #endif
        if viaTimer {
            // Its last line; the lines before it, if any, say how the child ended.
            let text = (try? String(contentsOfFile: peakFile, encoding: .utf8)) ?? ""
            peakKiB = text.split(separator: "\n").last.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } ?? 0
        }
        // The low 7 bits are the signal that ended it; otherwise bits 8–15 are the exit code.
        let code = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return (code, elapsed, peakKiB)
    }

    // MARK: Memory from /proc

    struct Memory {
        let rssKiB: Int
        let peakKiB: Int
    }

    /// VmRSS and VmHWM of a process, in KiB; nil without /proc (macOS).
    static func memory(of pid: Int32) -> Memory? {
        guard let text = readSmallFile("/proc/\(pid)/status") else { return nil }
        func field(_ name: String) -> Int? {
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }) else { return nil }
            return line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first.flatMap { Int($0) }
        }
        guard let rss = field("VmRSS"), let peak = field("VmHWM") else { return nil }
        return Memory(rssKiB: rss, peakKiB: peak)
    }

    /// Writing 5 to clear_refs resets VmHWM to the current RSS (Linux 4.0+).
    static func resetPeak(of pid: Int32) -> Bool {
        let descriptor = open("/proc/\(pid)/clear_refs", O_WRONLY)
        guard descriptor >= 0 else { return false }
        defer { _ = close(descriptor) }
        let five: [UInt8] = [UInt8(ascii: "5")]
        return five.withUnsafeBytes { write(descriptor, $0.baseAddress, 1) } == 1
    }

    /// Reads to the end: /proc files say their size is 0, so no size is trusted.
    static func readSmallFile(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { _ = close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            bytes += buffer[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
