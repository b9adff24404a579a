import Logging
import Synchronization
import TariffCore
import TariffStore

/// Authenticates API keys against the store, keeping what it read for a few seconds so that a
/// request does not wait on the database, while keys created or rotated by `tariff account`
/// (another process) are seen within that time.
public final class AccountDirectory: Sendable {
    struct Entry: Sendable {
        let credential: APICredential?
        let account: Account?
        let readAt: ContinuousClock.Instant
        /// A keyed hash of the last secret that matched, so that a key used again and again is
        /// not hashed with SHA-256 on every request. `Hasher` is seeded at random per process,
        /// so a forged secret cannot be made to collide with it.
        var verifiedTag: Int?
    }

    private let store: any TariffStore
    private let entries = Mutex<[String: Entry]>([:])
    private let freshFor: Duration

    public init(store: any TariffStore, freshFor: Duration = .seconds(2)) {
        self.store = store
        self.freshFor = freshFor
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
        guard let cached = entries.withLock({ $0[apiKey] }), ContinuousClock.now - cached.readAt < freshFor,
              let credential = cached.credential, let account = cached.account
        else { return nil }
        let tag = secret.hashValue
        if cached.verifiedTag == tag { return account }
        guard Credentials.verify(secret: secret, against: credential) else { return nil }
        entries.withLock { cache in
            // Only onto the entry that was checked: a newer read of the key starts unverified.
            if cache[apiKey]?.readAt == cached.readAt { cache[apiKey]?.verifiedTag = tag }
        }
        return account
    }

    /// The account that owns a key, without a secret (for keys proven another way, such as a signed token).
    public func account(apiKey: String) async throws -> Account? { try await lookup(apiKey).account }

    private func lookup(_ apiKey: String) async throws -> Entry {
        let now = ContinuousClock.now
        if let cached = entries.withLock({ $0[apiKey] }), now - cached.readAt < freshFor { return cached }
        let credential = try await store.accounts.credential(apiKey: apiKey)
        var account: Account?
        if let credential { account = try await store.accounts.account(id: credential.accountID) }
        let entry = Entry(credential: credential, account: account, readAt: now, verifiedTag: nil)
        entries.withLock { cache in
            // Unknown keys are remembered too, but the cache never grows past a bound.
            if cache.count > 10_000 { cache.removeAll() }
            cache[apiKey] = entry
        }
        return entry
    }
}
