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
        guard let data = Data(base64Encoded: Self.trimmed(header.unicodeScalars.dropFirst(6))),
            let text = String(data: data, encoding: .utf8), let colon = text.firstIndex(of: ":")
        else { return nil }
        user = String(text[..<colon])
        password = String(text[text.index(after: colon)...])
    }

    /// The token without the blanks around it: what `CharacterSet.whitespaces` holds (a tab and
    /// the space separators), checked by hand because Foundation's trimming was a measurable
    /// share of every authenticated request.
    private static func trimmed(_ scalars: String.UnicodeScalarView.SubSequence) -> String {
        func isBlank(_ scalar: Unicode.Scalar) -> Bool { scalar == "\t" || scalar.properties.generalCategory == .spaceSeparator }
        guard let first = scalars.firstIndex(where: { !isBlank($0) }), let last = scalars.lastIndex(where: { !isBlank($0) }) else { return "" }
        return String(scalars[first...last])
    }
}
