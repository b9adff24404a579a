import Foundation
import Hummingbird

/// A user and password from an `Authorization: Basic` header (RFC 7617), for any dialect that
/// takes them: Vonage reads an API key and secret from it, the native API likewise.
struct BasicCredentials: Sendable, Equatable {
    let user: String
    let password: String

    /// The request's Basic credentials; nil without an Authorization header or when it is not
    /// Basic, not base64, not UTF-8 or has no colon.
    init?(_ request: Request) {
        guard let header = request.headers[.authorization] else { return nil }
        self.init(header: header)
    }

    init?(header: String) {
        guard header.lowercased().hasPrefix("basic ") else { return nil }
        guard let data = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
            let text = String(data: data, encoding: .utf8), let colon = text.firstIndex(of: ":")
        else { return nil }
        user = String(text[..<colon])
        password = String(text[text.index(after: colon)...])
    }
}
