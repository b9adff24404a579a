import Foundation
import Hummingbird
import MultipartKit
import NIOCore

extension PlatformParameters {
    /// The largest body read: platform API calls are a handful of short fields.
    static let maxBodyBytes = 1 << 20

    /// The query string's parameters, then the body's (url-encoded or multipart form), which win.
    static func read(_ request: Request) async throws -> PlatformParameters {
        var parameters = PlatformParameters(formEncoded: request.uri.query ?? "")
        guard request.method == .post || request.method == .put else { return parameters }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: maxBodyBytes)
        } catch {
            throw VoximplantError.invalidArgument("body", "larger than \(maxBodyBytes / 1024) KiB")
        }
        guard body.readableBytes > 0 else { return parameters }
        let contentType = request.headers[.contentType] ?? ""
        let mediaType = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        switch mediaType {
        case "multipart/form-data":
            guard let boundary = Self.attribute("boundary", in: contentType) else {
                throw VoximplantError.invalidArgument("body", "multipart/form-data without a boundary")
            }
            parameters.merge(try PlatformParameters(multipart: body, boundary: boundary))
        default:
            // Url-encoded, also when a client names no content type.
            parameters.merge(PlatformParameters(formEncoded: String(buffer: body)))
        }
        return parameters
    }

    /// `a=1&b=x%3By+z`: `+` is a space, percent escapes are decoded (kept as sent when invalid).
    init(formEncoded text: String) {
        var values: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.formDecode(parts[0])
            guard !name.isEmpty else { continue }
            values[name] = parts.count > 1 ? Self.formDecode(parts[1]) : ""
        }
        self.init(values)
    }

    static func formDecode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    /// The fields of a multipart form; file parts are read as text like any other field.
    init(multipart body: ByteBuffer, boundary: String) throws {
        let parser = MultipartParser(boundary: boundary)
        var values: [String: String] = [:]
        var name: String?
        var value = ByteBuffer()
        parser.onHeader = { field, headerValue in
            if field.lowercased() == "content-disposition" { name = Self.attribute("name", in: headerValue) }
        }
        parser.onBody = { chunk in value.writeBuffer(&chunk) }
        parser.onPartComplete = {
            if let name { values[name] = String(buffer: value) }
            name = nil
            value.clear()
        }
        do {
            try parser.execute(body)
        } catch {
            throw VoximplantError.invalidArgument("body", "not a valid multipart/form-data body")
        }
        self.init(values)
    }

    /// The value of `name=value` or `name="value"` in a header such as Content-Type or Content-Disposition.
    static func attribute(_ name: String, in header: String) -> String? {
        for part in header.split(separator: ";").dropFirst() {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == name else { continue }
            var value = pair[1].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            return value
        }
        return nil
    }
}
