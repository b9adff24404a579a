import Crypto
public import TariffCore

/// Makes and checks API credentials. Only a salted SHA-256 of a secret is stored, and checks
/// compare in constant time, so neither the database nor response timing gives a secret away.
public enum Credentials {
    /// A new key and secret: the key 8 hex digits (as Vonage issues them), the secret 16
    /// letters and digits, unless given.
    public static func make(apiKey: String? = nil, secret: String? = nil) -> (credential: NewCredential, secret: String) {
        let key = apiKey ?? randomString(length: 8, alphabet: Array("0123456789abcdef"))
        let secret = secret ?? randomString(length: 16, alphabet: secretAlphabet)
        let salt = randomString(length: 16, alphabet: Array("0123456789abcdef"))
        return (NewCredential(apiKey: key, secretHash: hash(secret: secret, salt: salt), salt: salt), secret)
    }

    public static func hash(secret: String, salt: String) -> String {
        // Checked on every request: hex digits from a table, one allocation.
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in SHA256.hash(data: Array((salt + ":" + secret).utf8)) {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    static let secretAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")

    /// Whether `secret` is the one `credential` was made from.
    public static func verify(secret: String, against credential: APICredential) -> Bool {
        verify(secret: secret, hash: credential.secretHash, salt: credential.salt)
    }

    /// Whether `secret` salted with `salt` hashes to `hash`, compared in constant time.
    static func verify(secret: String, hash stored: String, salt: String) -> Bool {
        constantTimeEqual(Array(hash(secret: secret, salt: salt).utf8), Array(stored.utf8))
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }

    static func randomString(length: Int, alphabet: [Character]) -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }
}
