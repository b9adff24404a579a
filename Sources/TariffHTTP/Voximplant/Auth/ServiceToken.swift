import Foundation
import JWTKit

/// What the authenticator reads from a service-account JWT before trusting it: the header,
/// decoded without jwt-kit so that the algorithm and key id are checked before any key is used.
struct ServiceTokenHeader: Decodable {
    let alg: String?
    let kid: String?

    /// Longer tokens are refused unread: a Voximplant token is well under 1 KB.
    static let maximumLength = 8192

    init(token: String) throws(VoximplantAuthError) {
        guard token.utf8.count <= Self.maximumLength else { throw .malformedToken("longer than \(Self.maximumLength) bytes") }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .malformedToken("not three dot-separated parts") }
        guard let json = Base64URL.decode(parts[0]) else { throw .malformedToken("the header is not base64url") }
        do {
            self = try JSONDecoder().decode(Self.self, from: json)
        } catch {
            throw .malformedToken("the header is not a JSON object with string alg and kid")
        }
    }
}

/// The claims Voximplant SDKs send. Each is optional here so that a missing one is reported by
/// name; a claim of the wrong type fails decoding (a malformed token).
struct ServiceTokenClaims: JWTPayload {
    var iss: Issuer?
    var iat: NumericDate?
    var exp: NumericDate?

    /// Nothing to check here: the times are checked against the authenticator's clock, which
    /// tests set, after jwt-kit has verified the signature.
    func verify(using algorithm: some JWTAlgorithm) async throws {}
}

/// `iss`: the account id, as a JSON string (Python SDK) or a number (Node and Go SDKs).
enum Issuer: Codable, Equatable {
    case number(Int64)
    case text(String)

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int64.self) {
            self = .number(number)
        } else {
            self = .text(try container.decode(String.self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .number(let number): try container.encode(number)
        case .text(let text): try container.encode(text)
        }
    }

    /// Whether this names `accountID`: the exact decimal digits, so "0123" or " 123" do not.
    func names(_ accountID: Int64) -> Bool {
        switch self {
        case .number(let number): number == accountID
        case .text(let text): text == String(accountID)
        }
    }
}

/// A JWT time: seconds since 1970, whole or not (fractions are dropped), between 1970 and the
/// year 9999 so that the authenticator's arithmetic on it cannot overflow.
struct NumericDate: Codable, Equatable {
    let seconds: Int64

    static let latest: Int64 = 253_402_300_799

    init(seconds: Int64) { self.seconds = seconds }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let seconds: Int64
        if let whole = try? container.decode(Int64.self) {
            seconds = whole
        } else {
            let fractional = try container.decode(Double.self)
            guard fractional.isFinite, fractional >= 0, fractional <= Double(Self.latest) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "a time out of range")
            }
            seconds = Int64(fractional.rounded(.down))
        }
        guard (0...Self.latest).contains(seconds) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "a time out of range")
        }
        self.seconds = seconds
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(seconds)
    }
}

/// Base64url without padding (RFC 7515 §2); anything else is refused rather than repaired.
enum Base64URL {
    static func decode(_ text: Substring) -> Data? {
        var standard = ""
        standard.reserveCapacity(text.utf8.count + 3)
        for character in text.unicodeScalars {
            switch character {
            case "A"..."Z", "a"..."z", "0"..."9": standard.unicodeScalars.append(character)
            case "-": standard.append("+")
            case "_": standard.append("/")
            default: return nil
            }
        }
        guard standard.utf8.count % 4 != 1 else { return nil }
        standard.append(String(repeating: "=", count: (4 - standard.utf8.count % 4) % 4))
        return Data(base64Encoded: standard)
    }
}
