public import TariffCore

/// Accounts and their API keys.
public protocol AccountRepository: Sendable {
    /// Creates an account with its first API key, in one transaction. An `email` already held
    /// by another account (compared without ASCII case) fails the transaction.
    func create(name: String, email: String?, currency: CurrencyCode, deck: String, credential: NewCredential, now: Instant) async throws -> Account
    /// Every account, by id (oldest first).
    func accounts() async throws -> [Account]
    /// The account with this id; nil when there is none.
    func account(id: Int64) async throws -> Account?
    /// The account with this name; nil when none has it, and also when several do, because
    /// names are not unique and a shared name must not stand for either account.
    func account(name: String) async throws -> Account?
    /// The account with this e-mail address, compared without ASCII case.
    func account(email: String) async throws -> Account?
    /// An account's API keys, oldest first (empty for an unknown account).
    func credentials(accountID: Int64) async throws -> [APICredential]
    /// The key with exactly this name (case matters), with its secret's hash; nil when unknown.
    func credential(apiKey: String) async throws -> APICredential?
    /// Gives a key a new secret (the old one stops working at once); false if the key is unknown.
    func replaceSecret(apiKey: String, with credential: NewCredential, now: Instant) async throws -> Bool
    /// Adds another key to an account; false, and nothing stored, when the account is unknown.
    func addCredential(_ credential: NewCredential, accountID: Int64, now: Instant) async throws -> Bool
    /// Deletes one of an account's keys (it stops working at once); false if the account has
    /// no such key.
    func removeCredential(apiKey: String, accountID: Int64) async throws -> Bool
    /// Changes the currency of an account that has never had money, a number or a subscription:
    /// its ledger is kept in its currency, so one with history keeps it.
    func changeCurrency(accountID: Int64, to currency: CurrencyCode) async throws -> AccountChange
    /// Closes an account that rents no number and has no live subscription; closing a closed
    /// account changes nothing.
    func close(accountID: Int64, now: Instant) async throws -> AccountChange
}

/// What a change to an account came to.
public enum AccountChange: Sendable, Hashable {
    /// Done (or already so): the account as it now is.
    case changed(Account)
    case unknownAccount
    /// Not done, for the reason given in a sentence.
    case refused(String)
}

extension AccountRepository {
    /// Creates an account without an e-mail address.
    public func create(name: String, currency: CurrencyCode, deck: String, credential: NewCredential, now: Instant) async throws -> Account {
        try await create(name: name, email: nil, currency: currency, deck: deck, credential: credential, now: now)
    }
}

/// A key and its secret's stored form, as ``Credentials`` makes them.
public struct NewCredential: Sendable, Hashable {
    public let apiKey: String
    public let secretHash: String
    public let salt: String

    public init(apiKey: String, secretHash: String, salt: String) {
        self.apiKey = apiKey
        self.secretHash = secretHash
        self.salt = salt
    }
}
