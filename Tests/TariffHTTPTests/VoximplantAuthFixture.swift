import Foundation
import JWTKit
import TariffCore
import TariffHTTP
import TariffStore
import Testing

/// A fresh SQLite store with two accounts and a live service key for the first, and ways to
/// sign tokens as the SDKs do (and as they must not).
struct VoximplantAuthFixture {
    static let now = Instant(secondsSince1970: 1_795_000_000)

    let store: any TariffStore
    /// "ana", ana@example.com, API key k-ana with secret s-ana.
    let ana: Account
    /// "bob", no e-mail, API key k-bob with secret s-bob.
    let bob: Account
    /// Ana's live key.
    let key: ServiceKeys.Generated
    let signer: TestSigner

    static func with(_ body: (VoximplantAuthFixture) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tariff-vox-auth-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try await SQLiteStore(path: directory.appendingPathComponent("t.sqlite").path, logger: HTTPFixture.logger)
        do {
            try await store.migrate()
            let ana = try await store.accounts.create(
                name: "ana",
                email: "ana@example.com",
                currency: .EUR,
                deck: "base",
                credential: Credentials.make(apiKey: "k-ana", secret: "s-ana").credential,
                now: now
            )
            let bob = try await store.accounts.create(
                name: "bob",
                email: nil,
                currency: .USD,
                deck: "base",
                credential: Credentials.make(apiKey: "k-bob", secret: "s-bob").credential,
                now: now
            )
            let key = try await addKey(for: ana, to: store)
            try await body(VoximplantAuthFixture(store: store, ana: ana, bob: bob, key: key, signer: try await signer(for: key)))
            try await store.close()
        } catch {
            try? await store.close()
            throw error
        }
    }

    static func addKey(for account: Account, to store: any TariffStore) async throws -> ServiceKeys.Generated {
        let key = try ServiceKeys.generate()
        try #require(try await store.serviceKeys.add(keyID: key.keyID, accountID: account.id, publicKeyPEM: key.publicKeyPEM, now: now) != nil)
        return key
    }

    /// Signs RS256 (or `digest`) with `key`'s private half, naming it by `kid` (the key's own id unless given).
    static func signer(for key: ServiceKeys.Generated, kid: String? = nil, digest: DigestAlgorithm = .sha256) async throws -> TestSigner {
        let keys = JWTKeyCollection()
        let kid = kid ?? key.keyID
        await keys.add(rsa: try Insecure.RSA.PrivateKey(pem: key.privateKeyPEM), digestAlgorithm: digest, kid: JWKIdentifier(string: kid))
        return TestSigner(keys: keys, kid: kid)
    }

    func authenticator(freshFor: Duration = .seconds(2), now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }) -> VoximplantAuthenticator
    {
        VoximplantAuthenticator(store: store, freshFor: freshFor, now: now)
    }

    /// A token as the SDKs make it, signed with Ana's key unless another signer is given.
    func token(_ claims: TestClaims, signer: TestSigner? = nil) async throws -> String {
        try await (signer ?? self.signer).sign(claims)
    }
}

/// A jwt-kit collection with the kid to sign under: jwt-kit writes `kid` into the header only
/// when it is passed to `sign`.
struct TestSigner {
    let keys: JWTKeyCollection
    let kid: String

    func sign(_ claims: some JWTPayload) async throws -> String {
        try await keys.sign(claims, kid: JWKIdentifier(string: kid))
    }
}

/// Claims as each SDK sends them; any can be left out.
struct TestClaims: JWTPayload {
    enum Issuer: Codable {
        case text(String)
        case number(Int64)

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let number = try? container.decode(Int64.self) { self = .number(number) } else { self = .text(try container.decode(String.self)) }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .text(let text): try container.encode(text)
            case .number(let number): try container.encode(number)
            }
        }
    }

    var iss: Issuer?
    var iat: Int64?
    var exp: Int64?

    func verify(using algorithm: some JWTAlgorithm) async throws {}

    /// Python's SDK: `iss` a string, `iat = now - 5`, `exp = now + 24`.
    static func python(_ account: Account, at now: Instant = VoximplantAuthFixture.now) -> TestClaims {
        TestClaims(iss: .text(String(account.id)), iat: now.secondsSince1970 - 5, exp: now.secondsSince1970 + 24)
    }

    /// Node's SDK: `iss` a number, `exp = iat + 64`.
    static func node(_ account: Account, at now: Instant = VoximplantAuthFixture.now) -> TestClaims {
        TestClaims(iss: .number(account.id), iat: now.secondsSince1970, exp: now.secondsSince1970 + 64)
    }

    /// Claims with `iat` and `exp` this many seconds from the fixture's now.
    static func times(_ account: Account, iat: Int64, exp: Int64) -> TestClaims {
        let now = VoximplantAuthFixture.now.secondsSince1970
        return TestClaims(iss: .number(account.id), iat: now + iat, exp: now + exp)
    }
}

/// Compact JWT text from JSON parts, for tokens no signing library would make.
func rawToken(header: String, claims: String, signature: String = "") -> String {
    func base64URL(_ text: String) -> String {
        Data(text.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
    return base64URL(header) + "." + base64URL(claims) + "." + signature
}
