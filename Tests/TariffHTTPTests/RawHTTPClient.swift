import Crypto
import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import SwiftASN1
import X509

/// Sends bytes exactly as given — duplicate, odd or invalid headers included — over plain TCP
/// or TLS, and reads the answers as they come, so that two servers can be compared byte for
/// byte. Nothing here waits on a clock: it reads until it has the answers, or the server closes.
struct RawHTTPClient {
    struct Answer: Equatable, CustomStringConvertible {
        let statusLine: String
        /// Every field line in order, except `Date`, which tells the time, not the answer.
        let fields: [String]
        let date: String?
        let body: [UInt8]

        var text: String { String(decoding: body, as: UTF8.self) }
        var status: Int { Int(statusLine.split(separator: " ").dropFirst().first ?? "") ?? 0 }
        var description: String { ([statusLine] + fields + ["", text]).joined(separator: "\n") }

        func json() throws -> [String: Any] {
            guard let object = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
                throw NoAnswer(target: "a JSON object, not \(text)")
            }
            return object
        }

        static func == (lhs: Answer, rhs: Answer) -> Bool {
            lhs.statusLine == rhs.statusLine && lhs.fields == rhs.fields && lhs.body == rhs.body
        }
    }

    /// What came back on one connection.
    struct Exchange: Equatable {
        var answers: [Answer] = []
        /// Whether the connection still answered a further request afterwards.
        var stayedOpen = false
    }

    let port: Int
    let tls: Bool

    /// Writes `writes` one after another (each in its own write), reads `answers` answers, then
    /// asks `/health` once more to learn whether the connection stayed open.
    func exchange(_ writes: [String], answers expected: Int) async throws -> Exchange {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if tls {
                        var configuration = TLSConfiguration.makeClientConfiguration()
                        configuration.certificateVerification = .none
                        let context = try NIOSSLContext(configuration: configuration)
                        try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: context, serverHostname: nil))
                    }
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            // The answer to HEAD has a Content-Length but no body.
            var reader = Reader(iterator: inbound.makeAsyncIterator(), bodiless: writes.first?.hasPrefix("HEAD ") == true)
            var exchange = Exchange()
            for write in writes { try await outbound.write(ByteBuffer(string: write)) }
            while exchange.answers.count < expected, let answer = try await reader.next() { exchange.answers.append(answer) }
            guard exchange.answers.count == expected else { return exchange }
            // A closed connection ends the read (or the write) instead of answering.
            do {
                try await outbound.write(ByteBuffer(string: "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"))
                reader.bodiless = false
                exchange.stayedOpen = try await reader.next() != nil
            } catch {
                exchange.stayedOpen = false
            }
            return exchange
        }
    }

    /// One request on a connection of its own, and its answer. Nothing here has a deadline: a
    /// machine loaded by the other tests may answer slowly, and that fails nothing.
    func send(_ method: String = "GET", _ target: String, fields: [String] = [], body: String = "") async throws -> Answer {
        let length = body.isEmpty ? [] : ["Content-Length: \(body.utf8.count)"]
        let head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\n" + (fields + length).map { $0 + "\r\n" }.joined()
        let answers = try await exchange([head + "\r\n" + body], answers: 1).answers
        guard let answer = answers.first else { throw NoAnswer(target: target) }
        return answer
    }

    struct NoAnswer: Error { let target: String }

    struct Reader {
        var iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
        var bodiless: Bool
        var bytes: [UInt8] = []

        /// The next whole answer; nil once the server has closed (or broken off TLS).
        mutating func next() async throws -> Answer? {
            while true {
                if let answer = try take() { return answer }
                let chunk: ByteBuffer?
                do { chunk = try await iterator.next() } catch let error as NIOSSLError where error == .uncleanShutdown { chunk = nil }
                guard var chunk else { return nil }
                bytes += chunk.readBytes(length: chunk.readableBytes) ?? []
            }
        }

        private mutating func take() throws -> Answer? {
            let separator = Array("\r\n\r\n".utf8)
            guard bytes.count >= 4, let end = (0...(bytes.count - 4)).first(where: { bytes[$0..<($0 + 4)].elementsEqual(separator) }) else {
                return nil
            }
            let lines = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
            let fields = Array(lines.dropFirst())
            let length =
                fields.first { $0.lowercased().hasPrefix("content-length:") }
                .flatMap { bodiless ? 0 : Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
            guard bytes.count >= end + 4 + length else { return nil }
            let answer = Answer(
                statusLine: lines[0],
                fields: fields.filter { !$0.lowercased().hasPrefix("date:") },
                date: fields.first { $0.lowercased().hasPrefix("date:") }.map { String($0.dropFirst(5)).trimmingCharacters(in: .whitespaces) },
                body: Array(bytes[(end + 4)..<(end + 4 + length)])
            )
            bytes.removeFirst(end + 4 + length)
            return answer
        }
    }

    /// A self-signed certificate and its key, as PEM files in `directory`.
    static func makeCertificate(in directory: URL) throws -> (certificate: String, key: String) {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName { CommonName("localhost") }
        let now = Date()
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: .init(key.publicKey),
            notValidBefore: now.addingTimeInterval(-3600),
            notValidAfter: now.addingTimeInterval(86_400),
            issuer: name,
            subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: Certificate.Extensions(),
            issuerPrivateKey: .init(key)
        )
        let certificatePath = directory.appendingPathComponent("server.pem").path
        let keyPath = directory.appendingPathComponent("server.key").path
        try Data(try certificate.serializeAsPEM().pemString.utf8).write(to: URL(fileURLWithPath: certificatePath))
        try Data(key.pemRepresentation.utf8).write(to: URL(fileURLWithPath: keyPath))
        return (certificatePath, keyPath)
    }
}
