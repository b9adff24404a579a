import Foundation
import Hummingbird
import NIOCore

/// Uploads to the operator's routes: a body goes to a temporary file as it arrives, so that a
/// carrier deck of a million rows is never held whole in memory, and the importers read files.
enum UploadSpool {
    /// The body, written to a temporary file chunk by chunk; the caller removes it.
    static func file(_ body: RequestBody, upTo limit: Int) async throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tariff-upload-\(UUID().uuidString).csv").path
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
            let handle = FileHandle(forWritingAtPath: path)
        else { throw NativeError(status: .internalServerError, title: "Internal error", detail: "the upload could not be stored") }
        defer { try? handle.close() }
        var size = 0
        do {
            for try await chunk in body {
                size += chunk.readableBytes
                guard size <= limit else {
                    throw NativeError(status: .contentTooLarge, title: "Too large", detail: "the body is larger than \(limit) bytes")
                }
                try handle.write(contentsOf: Data(chunk.readableBytesView))
            }
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
        return path
    }

    /// `true` or `false`; absent is false.
    static func flag(_ text: String?, name: String) throws -> Bool {
        switch text {
        case nil, "false": false
        case "true": true
        default: throw NativeError.badRequest("\(name): true or false")
        }
    }
}
