import Foundation
import JWTKit
import Synchronization
import TariffCore
import TariffHTTP
import TariffStore
import Testing

@Suite("Voximplant authentication")
struct VoximplantAuthTests {
    typealias Fixture = VoximplantAuthFixture
    let now = VoximplantAuthFixture.now

    /// Expects `token` to be refused as malformed; returns the reason given.
    @discardableResult
    func expectMalformed(_ auth: VoximplantAuthenticator, _ token: String, sourceLocation: SourceLocation = #_sourceLocation) async -> String? {
        let error = await #expect(throws: VoximplantAuthError.self, sourceLocation: sourceLocation) {
            try await auth.account(bearerToken: token, now: now)
        }
        guard case .malformedToken(let reason) = error else {
            Issue.record("expected a malformed token, got \(String(describing: error))", sourceLocation: sourceLocation)
            return nil
        }
        return reason
    }

    // MARK: Accepted

    @Test("a token from the Python SDK (iss a string) and one from Node or Go (iss a number) are accepted")
    func acceptsStringAndNumberIssuer() async throws {
        try await Fixture.with { fixture async throws in
            let auth = fixture.authenticator()
            #expect(try await auth.account(bearerToken: try await fixture.token(.python(fixture.ana)), now: now) == fixture.ana)
            #expect(try await auth.account(bearerToken: try await fixture.token(.node(fixture.ana)), now: now) == fixture.ana)
            // The account comes from the store, e-mail included.
            #expect(try await auth.account(bearerToken: try await fixture.token(.node(fixture.ana)), now: now).email == "ana@example.com")
        }
    }

    @Test("times within the 5 s clock skew and a lifetime of exactly an hour are accepted")
    func acceptsWithinSkew() async throws {
        try await Fixture.with { fixture async throws in
            let auth = fixture.authenticator()
            for claims in [
                TestClaims.times(fixture.ana, iat: -60, exp: -4),  // expired 4 s ago
                TestClaims.times(fixture.ana, iat: 5, exp: 30),  // issued 5 s ahead
                TestClaims.times(fixture.ana, iat: -10, exp: 3590),
            ] {  // exp = iat + 3600
                #expect(try await auth.account(bearerToken: try await fixture.token(claims), now: now) == fixture.ana, "\(claims)")
            }
        }
    }

    // MARK: Times

    @Test("an expired token, one issued beyond the skew in the future and one valid for over an hour are refused")
    func refusesBadTimes() async throws {
        try await Fixture.with { fixture async throws in
            let auth = fixture.authenticator()
            let cases: [(TestClaims, VoximplantAuthError)] = [
                (.times(fixture.ana, iat: -60, exp: -5), .expired),
                (.times(fixture.ana, iat: -3000, exp: -600), .expired),
                (.times(fixture.ana, iat: 6, exp: 30), .notYetValid),
                (.times(fixture.ana, iat: 0, exp: 3601), .lifetimeTooLong(seconds: 3601)),
                (.times(fixture.ana, iat: -10, exp: 86_400), .lifetimeTooLong(seconds: 86_410)),
            ]
            for (claims, expected) in cases {
                let token = try await fixture.token(claims)
                await #expect(throws: expected) { try await auth.account(bearerToken: token, now: now) }
            }
        }
    }

    @Test("iss, iat and exp are required")
    func requiresClaims() async throws {
        try await Fixture.with { fixture async throws in
            let auth = fixture.authenticator()
            var claims = TestClaims.node(fixture.ana)
            claims.iss = nil
            let noIssuer = try await fixture.token(claims)
            await #expect(throws: VoximplantAuthError.missingClaim("iss")) { try await auth.account(bearerToken: noIssuer, now: now) }
            claims = .node(fixture.ana)
            claims.iat = nil
            let noIssuedAt = try await fixture.token(claims)
            await #expect(throws: VoximplantAuthError.missingClaim("iat")) { try await auth.account(bearerToken: noIssuedAt, now: now) }
            claims = .node(fixture.ana)
            claims.exp = nil
            let noExpiry = try await fixture.token(claims)
            await #expect(throws: VoximplantAuthError.missingClaim("exp")) { try await auth.account(bearerToken: noExpiry, now: now) }
        }
    }

    // MARK: Issuer

    @Test("iss must be the id of the account that owns the key")
    func refusesWrongIssuer() async throws {
        try await Fixture.with { fixture async throws in
            let auth = fixture.authenticator()
            let id = fixture.ana.id
            for issuer: TestClaims.Issuer in [.number(fixture.bob.id), .text(String(fixture.bob.id)), .text("ana"), .text("0\(id)"), .text(" \(id)")]
            {
                var claims = TestClaims.node(fixture.ana)
                claims.iss = issuer
                let token = try await fixture.token(claims)
                await #expect(throws: VoximplantAuthError.wrongIssuer, "\(issuer)") { try await auth.account(bearerToken: token, now: now) }
            }
            // Bob's own key cannot speak for Ana either.
            let bobs = try await Fixture.signer(for: try await Fixture.addKey(for: fixture.bob, to: fixture.store))
            let asAna = try await fixture.token(.node(fixture.ana), signer: bobs)
            await #expect(throws: VoximplantAuthError.wrongIssuer) { try await auth.account(bearerToken: asAna, now: now) }
            #expect(try await auth.account(bearerToken: try await fixture.token(.node(fixture.bob), signer: bobs), now: now) == fixture.bob)
        }
    }

    // MARK: Keys and signatures

    @Test("a token signed by another key under a stored kid, or altered after signing, has a bad signature")
    func refusesForgery() async throws {
        try await Fixture.with { fixture async throws in
            let auth = fixture.authenticator()
            let impostor = try await Fixture.signer(for: try ServiceKeys.generate(), kid: fixture.key.keyID)
            let forged = try await fixture.token(.node(fixture.ana), signer: impostor)
            await #expect(throws: VoximplantAuthError.badSignature) { try await auth.account(bearerToken: forged, now: now) }

            // Ana's genuine token with its claims swapped for a longer-lived set.
            let genuine = try await fixture.token(.node(fixture.ana)).split(separator: ".").map(String.init)
            let longer = rawToken(
                header: "{}",
                claims: #"{"iss":\#(fixture.ana.id),"iat":\#(now.secondsSince1970),"exp":\#(now.secondsSince1970 + 3000)}"#
            )
            let altered = genuine[0] + "." + longer.split(separator: ".")[1] + "." + genuine[2]
            await #expect(throws: VoximplantAuthError.badSignature) { try await auth.account(bearerToken: altered, now: now) }
        }
    }

    @Test("an unknown kid and a revoked kid are refused")
    func refusesUnknownAndRevokedKeys() async throws {
        try await Fixture.with { fixture async throws in
            let auth = fixture.authenticator(freshFor: .zero)
            let unknown = try await fixture.token(.node(fixture.ana), signer: try await Fixture.signer(for: fixture.key, kid: "no-such-key"))
            await #expect(throws: VoximplantAuthError.unknownKey("no-such-key")) { try await auth.account(bearerToken: unknown, now: now) }

            let token = try await fixture.token(.node(fixture.ana))
            #expect(try await auth.account(bearerToken: token, now: now) == fixture.ana)
            #expect(try await fixture.store.serviceKeys.revoke(keyID: fixture.key.keyID, now: now))
            await #expect(throws: VoximplantAuthError.revokedKey(fixture.key.keyID)) { try await auth.account(bearerToken: token, now: now) }
        }
    }

    @Test("keys are cached for freshFor: a revocation is seen once that time has passed")
    func keyCache() async throws {
        try await Fixture.with { fixture async throws in
            let token = try await fixture.token(.node(fixture.ana))
            // The caches count in a clock the test moves: no waiting for time to pass.
            let clock = Mutex(ContinuousClock.now)
            let cached = fixture.authenticator(freshFor: .seconds(3600), now: { clock.withLock { $0 } })
            let brief = fixture.authenticator(freshFor: .seconds(2), now: { clock.withLock { $0 } })
            #expect(try await cached.account(bearerToken: token, now: now) == fixture.ana)
            #expect(try await brief.account(bearerToken: token, now: now) == fixture.ana)
            #expect(try await fixture.store.serviceKeys.revoke(keyID: fixture.key.keyID, now: now))
            #expect(try await cached.account(bearerToken: token, now: now) == fixture.ana)
            clock.withLock { $0 += .seconds(3) }
            await #expect(throws: VoximplantAuthError.revokedKey(fixture.key.keyID)) { try await brief.account(bearerToken: token, now: now) }
        }
    }

    @Test("an announcement from the store makes every cache read again, however fresh its entries")
    func announcementInvalidatesCaches() async throws {
        try await Fixture.with { fixture async throws in
            let token = try await fixture.token(.node(fixture.ana))
            let epoch = CacheEpoch()
            let auth = VoximplantAuthenticator(store: fixture.store, freshFor: .seconds(3600), epoch: epoch)
            let directory = AccountDirectory(store: fixture.store, freshFor: .seconds(3600), epoch: epoch)
            let issued = Credentials.make(apiKey: "annkey01", secret: "Old0Secret")
            _ = try await fixture.store.accounts.create(
                name: "ann",
                currency: CurrencyCode("EUR")!,
                deck: "base",
                credential: issued.credential,
                now: now
            )
            #expect(try await auth.account(bearerToken: token, now: now) == fixture.ana)
            #expect(try await directory.authenticate(apiKey: "annkey01", secret: "Old0Secret")?.name == "ann")
            #expect(try await fixture.store.serviceKeys.revoke(keyID: fixture.key.keyID, now: now))
            let rotated = Credentials.make(apiKey: "annkey01", secret: "New0Secret")
            #expect(try await fixture.store.accounts.replaceSecret(apiKey: "annkey01", with: rotated.credential, now: now))
            // Still cached: nothing was announced.
            #expect(try await auth.account(bearerToken: token, now: now) == fixture.ana)
            #expect(directory.cachedAuthentication(apiKey: "annkey01", secret: "Old0Secret")?.name == "ann")
            epoch.advance()
            await #expect(throws: VoximplantAuthError.revokedKey(fixture.key.keyID)) { try await auth.account(bearerToken: token, now: now) }
            #expect(directory.cachedAuthentication(apiKey: "annkey01", secret: "Old0Secret") == nil)
            #expect(try await directory.authenticate(apiKey: "annkey01", secret: "Old0Secret") == nil)
            #expect(try await directory.authenticate(apiKey: "annkey01", secret: "New0Secret")?.name == "ann")
        }
    }

    // MARK: Algorithms and malformed tokens

    @Test("alg none, HS256 (even keyed with the public key), RS512 and a missing alg are refused before any key is used")
    func refusesOtherAlgorithms() async throws {
        try await Fixture.with { fixture async throws in
            let auth = fixture.authenticator()
            let claims = #"{"iss":\#(fixture.ana.id),"iat":\#(now.secondsSince1970),"exp":\#(now.secondsSince1970 + 60)}"#
            let none = rawToken(header: #"{"alg":"none","kid":"\#(fixture.key.keyID)","typ":"JWT"}"#, claims: claims)
            await #expect(throws: VoximplantAuthError.unsupportedAlgorithm("none")) { try await auth.account(bearerToken: none, now: now) }

            // The classic confusion attack: the public key, which is no secret, as an HMAC key.
            let hmac = JWTKeyCollection()
            await hmac.add(hmac: HMACKey(from: fixture.key.publicKeyPEM), digestAlgorithm: .sha256, kid: JWKIdentifier(string: fixture.key.keyID))
            let hs256 = try await TestSigner(keys: hmac, kid: fixture.key.keyID).sign(TestClaims.node(fixture.ana))
            await #expect(throws: VoximplantAuthError.unsupportedAlgorithm("HS256")) { try await auth.account(bearerToken: hs256, now: now) }

            let rs512 = try await Fixture.signer(for: fixture.key, digest: .sha512).sign(TestClaims.node(fixture.ana))
            await #expect(throws: VoximplantAuthError.unsupportedAlgorithm("RS512")) { try await auth.account(bearerToken: rs512, now: now) }

            let genuine = try await fixture.token(.node(fixture.ana)).split(separator: ".")
            let noAlg = rawToken(header: #"{"kid":"\#(fixture.key.keyID)"}"#, claims: claims) + String(genuine[2])
            #expect(await expectMalformed(auth, noAlg)?.contains("no alg") == true)
            let noKid = rawToken(header: #"{"alg":"RS256"}"#, claims: claims) + String(genuine[2])
            #expect(await expectMalformed(auth, noKid)?.contains("no kid") == true)
        }
    }

    @Test("garbage is a malformed token")
    func refusesGarbage() async throws {
        try await Fixture.with { fixture async throws in
            let auth = fixture.authenticator()
            let genuine = try await fixture.token(.node(fixture.ana))
            let parts = genuine.split(separator: ".").map(String.init)
            let garbage = [
                "", "garbage", "a.b", "a.b.c.d", "..", "Bearer " + genuine, genuine + ".",
                "!!!." + parts[1] + "." + parts[2],  // header not base64url
                rawToken(header: "not json", claims: "{}") + parts[2],  // header not JSON
                rawToken(header: #"{"alg":7,"kid":"x"}"#, claims: "{}") + parts[2],  // alg not a string
                parts[0] + "." + parts[1] + ".%%%",  // signature not base64url
                String(repeating: "a", count: 9000) + "." + parts[1] + "." + parts[2],  // far too long
            ]
            for token in garbage { await expectMalformed(auth, token) }
        }
    }

    @Test("a claim of the wrong type, correctly signed, is a malformed token")
    func refusesBadlyTypedClaims() async throws {
        try await Fixture.with { fixture async throws in
            let auth = fixture.authenticator()
            struct OddClaims: JWTPayload {
                let iss: Bool
                let iat: String
                let exp: Int64
                func verify(using algorithm: some JWTAlgorithm) async throws {}
            }
            let token = try await fixture.signer.sign(OddClaims(iss: true, iat: "yesterday", exp: now.secondsSince1970 + 60))
            // Refused for its claims, once the header and signature passed.
            let reason = await expectMalformed(auth, token)
            #expect(reason?.contains("payload") == true, "\(String(describing: reason))")
        }
    }
}
