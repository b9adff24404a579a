import JWTKit
public import TariffCore
public import TariffStore

/// Authenticates Voximplant Management API requests: service-account JWTs (RS256, signed with
/// a key `tariff account key` issued) and the legacy account + `api_key` parameters.
///
/// What it reads from the store (keys, accounts, API keys) is kept for `freshFor`, so that a
/// request does not wait on the database while keys made or revoked by another process are
/// honoured within that time.
public final class VoximplantAuthenticator: Sendable {
    /// Clock difference allowed between the client and this server (Python's SDK backdates
    /// `iat` by 5 s for the same reason).
    public static let clockSkew: Int64 = 5
    /// The longest `exp - iat` Voximplant allows.
    public static let maximumLifetime: Int64 = 3600

    /// A stored key with, for a live key, the jwt-kit collection that verifies its signatures.
    struct KeyEntry: Sendable {
        let key: ServiceKey
        let verifier: JWTKeyCollection?
    }

    private let store: any TariffStore
    private let keys: FreshCache<String, KeyEntry?>
    private let accountsByID: FreshCache<Int64, Account?>
    private let accountsByName: FreshCache<String, Account?>
    private let accountsByEmail: FreshCache<String, Account?>
    private let credentials: FreshCache<Int64, [APICredential]>

    /// `now` is the steady clock the caches count in (tests move it instead of waiting).
    /// `epoch` is advanced when the store announces a change; what was read before is then stale.
    public init(
        store: any TariffStore,
        freshFor: Duration = .seconds(2),
        epoch: CacheEpoch = CacheEpoch(),
        now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }
    ) {
        self.store = store
        keys = FreshCache(freshFor: freshFor, epoch: epoch, now: now)
        accountsByID = FreshCache(freshFor: freshFor, epoch: epoch, now: now)
        accountsByName = FreshCache(freshFor: freshFor, epoch: epoch, now: now)
        accountsByEmail = FreshCache(freshFor: freshFor, epoch: epoch, now: now)
        credentials = FreshCache(freshFor: freshFor, epoch: epoch, now: now)
    }

    // MARK: Service-account JWT

    /// The account a service-account token (the text after `Bearer `) was signed for.
    ///
    /// Throws ``VoximplantAuthError`` when the token is not accepted, and other errors only when
    /// the store fails.
    public func account(bearerToken: String, now: Instant = .now()) async throws -> Account {
        let header = try ServiceTokenHeader(token: bearerToken)
        // Checked here, not left to jwt-kit: it verifies with the key the kid names whatever
        // `alg` says, and a public key must never be taken as an HMAC secret.
        guard let alg = header.alg else { throw VoximplantAuthError.malformedToken("the header has no alg") }
        guard alg == "RS256" else { throw VoximplantAuthError.unsupportedAlgorithm(alg) }
        guard let kid = header.kid, !kid.isEmpty else { throw VoximplantAuthError.malformedToken("the header has no kid") }

        guard let entry = try await keyEntry(kid) else { throw VoximplantAuthError.unknownKey(kid) }
        guard let verifier = entry.verifier, !entry.key.isRevoked else { throw VoximplantAuthError.revokedKey(kid) }
        let claims = try await Self.verifiedClaims(bearerToken, with: verifier)

        guard let issuer = claims.iss else { throw VoximplantAuthError.missingClaim("iss") }
        guard issuer.names(entry.key.accountID) else { throw VoximplantAuthError.wrongIssuer }
        guard let issuedAt = claims.iat?.seconds else { throw VoximplantAuthError.missingClaim("iat") }
        guard let expires = claims.exp?.seconds else { throw VoximplantAuthError.missingClaim("exp") }
        let clock = now.secondsSince1970
        guard expires > clock - Self.clockSkew else { throw VoximplantAuthError.expired }
        guard issuedAt <= clock + Self.clockSkew else { throw VoximplantAuthError.notYetValid }
        guard expires - issuedAt <= Self.maximumLifetime else { throw VoximplantAuthError.lifetimeTooLong(seconds: expires - issuedAt) }

        guard let account = try await account(id: entry.key.accountID), !account.isClosed else { throw VoximplantAuthError.unknownAccount }
        return account
    }

    /// The token's claims, once jwt-kit has checked its signature with the named key.
    static func verifiedClaims(_ token: String, with verifier: JWTKeyCollection) async throws(VoximplantAuthError) -> ServiceTokenClaims {
        do {
            return try await verifier.verify(token, as: ServiceTokenClaims.self)
        } catch let error as JWTError where error.errorType == .signatureVerificationFailed {
            throw .badSignature
        } catch let error as JWTError {
            throw .malformedToken(error.reason ?? error.errorType.description)
        } catch {
            throw .malformedToken("\(error)")
        }
    }

    private func keyEntry(_ kid: String) async throws -> KeyEntry? {
        try await keys.value(for: kid) {
            guard let key = try await store.serviceKeys.key(keyID: kid) else { return nil }
            guard !key.isRevoked else { return KeyEntry(key: key, verifier: nil) }
            let publicKey: Insecure.RSA.PublicKey
            do {
                publicKey = try Insecure.RSA.PublicKey(pem: key.publicKeyPEM)
            } catch {
                throw StoreError.corrupt("the public key of service key \(kid)")
            }
            // One collection per key, holding only that key: a token can be checked against
            // nothing else, whatever its header says.
            let verifier = JWTKeyCollection()
            await verifier.add(rsa: publicKey, digestAlgorithm: .sha256, kid: JWKIdentifier(string: kid))
            return KeyEntry(key: key, verifier: verifier)
        }
    }

    // MARK: Legacy parameters

    /// The account named by `accountID`, `accountName` or `accountEmail` (one is enough; those
    /// given must name the same account) whose API keys include one with the secret `apiKey`.
    ///
    /// Throws ``VoximplantAuthError`` when the request is not accepted, and other errors only
    /// when the store fails.
    public func account(accountID: Int64?, accountName: String?, accountEmail: String?, apiKey: String) async throws -> Account {
        var named: [Account?] = []
        if let accountID { named.append(try await account(id: accountID)) }
        if let accountName { named.append(try await accountsByName.value(for: accountName) { try await store.accounts.account(name: accountName) }) }
        if let accountEmail {
            named.append(try await accountsByEmail.value(for: accountEmail) { try await store.accounts.account(email: accountEmail) })
        }

        guard !named.isEmpty else { throw VoximplantAuthError.noAccountGiven }
        let accounts = named.compactMap { $0 }
        guard accounts.count == named.count, let account = accounts.first, !account.isClosed else { throw VoximplantAuthError.unknownAccount }
        guard accounts.allSatisfy({ $0.id == account.id }) else { throw VoximplantAuthError.accountsDisagree }

        let keys = try await credentials.value(for: account.id) { try await store.accounts.credentials(accountID: account.id) }
        // Every key is checked, so the time taken does not tell which one matched.
        var matched = false
        for key in keys where Credentials.verify(secret: apiKey, against: key) { matched = true }
        guard matched else { throw VoximplantAuthError.badAPIKey }
        return account
    }

    private func account(id: Int64) async throws -> Account? {
        try await accountsByID.value(for: id) { try await store.accounts.account(id: id) }
    }
}
