import Foundation
import Testing

@testable import TariffHTTP

/// The Basic header is read by hand on every authenticated request; it must accept and refuse
/// exactly what the Foundation-based reading did.
@Suite("Basic credentials")
struct BasicCredentialsTests {
    static let token = Data("key:secret:with:colons é".utf8).base64EncodedString()

    /// The reading before: Foundation's trimming of `CharacterSet.whitespaces`.
    static func foundationReading(_ header: String) -> (String, String)? {
        guard header.lowercased().hasPrefix("basic ") else { return nil }
        guard let data = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
            let text = String(data: data, encoding: .utf8), let colon = text.firstIndex(of: ":")
        else { return nil }
        return (String(text[..<colon]), String(text[text.index(after: colon)...]))
    }

    @Test(
        "padding, case and broken tokens: the same answer as Foundation's trimming",
        arguments: [
            "Basic \(token)", "basic \(token)", "BASIC \(token)", "Basic  \(token)  ", "Basic \t\(token)\t", "Basic \u{A0}\(token)\u{2003}",
            "Basic \u{2028}\(token)", "Basic \(token)\n", "Basic ", "Basic", "Basic    ", "Bearer \(token)", "Basic \(token.dropLast())",
            "Basic \(Data("nocolon".utf8).base64EncodedString())", "Basic \(Data([0xFF, 0x3A]).base64EncodedString())", "Basic é\(token)",
        ]
    )
    func sameAsFoundation(header: String) {
        let expected = Self.foundationReading(header)
        let read = BasicCredentials(header: header)
        #expect(read?.user == expected?.0)
        #expect(read?.password == expected?.1)
    }
}
