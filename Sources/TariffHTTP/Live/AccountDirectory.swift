import Crypto
import Logging
import Synchronization
public import TariffCore
public import TariffStore

/// Authenticates API keys against the store, keeping what it read for a few seconds so that a
/// request does not wait on the database, while keys created or rotated by `tariff account`
/// (another process) are seen within that time.
public final class AccountDirectory: Sendable {
    struct Entry: Sendable {
        let credential: APICredential?
        let account: Account?
        let readAt: ContinuousClock.Instant
        /// The store's announcement count before the read: a later announcement makes it stale.
        let epoch: UInt64
        /// An HMAC of the last secret that matched, under a key made at random for this
        /// process, so that a key used again and again is not checked against its stored hash
        /// on every request, and no secret is kept in memory.
        var verifiedTag: SecretTag?
    }

    private let store: any TariffStore
    private let entries = Mutex<[String: Entry]>([:])
    private let freshFor: Duration
    private let clock: @Sendable () -> ContinuousClock.Instant
    /// An HMAC keyed at random for this process, copied for each tag (the key is set up once).
    private let tagger = SecretTag.Tagger()
    private let epoch: CacheEpoch

    public init(
        store: any TariffStore,
        freshFor: Duration = .seconds(2),
        epoch: CacheEpoch = CacheEpoch(),
        now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }
    ) {
        self.store = store
        self.freshFor = freshFor
        self.epoch = epoch
        clock = now
    }

    /// The account whose key and secret these are, or nil.
    public func authenticate(apiKey: String, secret: String) async throws -> Account? {
        let entry = try await lookup(apiKey)
        guard let credential = entry.credential, let account = entry.account,
            Credentials.verify(secret: secret, against: credential)
        else { return nil }
        return account
    }

    /// The account, if the key was read recently and the secret matches; nil otherwise (also
    /// when the key is not cached: the caller then takes the path that reads the store).
    public func cachedAuthentication(apiKey: String, secret: String) -> Account? {
        guard let cached = entries.withLock({ $0[apiKey] }), isFresh(cached, now: clock()),
            let credential = cached.credential, let account = cached.account
        else { return nil }
        let tag = tagger.tag(secret)
        if cached.verifiedTag == tag { return account }
        guard Credentials.verify(secret: secret, against: credential) else { return nil }
        entries.withLock { cache in
            // Only onto the entry that was checked: a newer read of the key starts unverified.
            if cache[apiKey]?.readAt == cached.readAt { cache[apiKey]?.verifiedTag = tag }
        }
        return account
    }

    private func isFresh(_ entry: Entry, now: ContinuousClock.Instant) -> Bool {
        now - entry.readAt < freshFor && entry.epoch == epoch.current
    }

    /// The account that owns a key, without a secret (for keys proven another way, such as a signed token).
    public func account(apiKey: String) async throws -> Account? { try await lookup(apiKey).account }

    private func lookup(_ apiKey: String) async throws -> Entry {
        let now = clock()
        if let cached = entries.withLock({ $0[apiKey] }), isFresh(cached, now: now) { return cached }
        let announced = epoch.current
        let credential = try await store.accounts.credential(apiKey: apiKey)
        var account: Account?
        // A closed account's keys stop working: it is cached as if the key were unknown.
        if let credential { account = try await store.accounts.account(id: credential.accountID).flatMap { $0.isClosed ? nil : $0 } }
        let entry = Entry(credential: credential, account: account, readAt: now, epoch: announced, verifiedTag: nil)
        entries.withLock { cache in
            // Unknown keys are remembered too, but the cache never grows past a bound.
            if cache.count > 10_000 { cache.removeAll() }
            cache[apiKey] = entry
        }
        return entry
    }
}

/// An HMAC-SHA256 of a secret: equal for equal secrets under one key, and of no use to anyone
/// who reads it without the key. swift-crypto compares codes in constant time.
struct SecretTag: Equatable, Sendable {
    let code: HashedAuthenticationCode<SHA256>

    final class Tagger: Sendable {
        /// Keyed once: each tag copies it, so the key's pads are not hashed again.
        private let keyed = HMAC<SHA256>(key: SymmetricKey(size: .bits256))

        func tag(_ secret: String) -> SecretTag {
            var secret = secret
            var hmac = keyed
            secret.withUTF8 { hmac.update(data: UnsafeRawBufferPointer($0)) }
            return SecretTag(code: hmac.finalize())
        }
    }
}
