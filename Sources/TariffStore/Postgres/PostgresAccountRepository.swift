import TariffCore

struct PostgresAccountRepository: AccountRepository {
    let engine: PostgresEngine

    func create(name: String, email: String?, currency: CurrencyCode, deck: String, credential: NewCredential, now: Instant) async throws -> Account {
        try await engine.transaction { transaction in
            let ids = try await transaction.select(
                "INSERT INTO accounts (name, email, currency, deck, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
                [.text(name), .optional(email), .text(currency.rawValue), .text(deck), .int(now.secondsSince1970)]
            ) { try $0.int("id") }
            guard let id = ids.first else { throw StoreError.corrupt("an account was stored without an id") }
            try await Self.insert(credential, accountID: id, now: now, on: transaction)
            try await transaction.notify("keys")
            return Account(id: id, name: name, currency: currency, deck: deck, createdAt: now, email: email)
        }
    }

    func accounts() async throws -> [Account] {
        try await engine.select(AccountRows.accountColumns + " ORDER BY id", decode: AccountRows.account)
    }

    func account(id: Int64) async throws -> Account? {
        try await engine.select(AccountRows.accountColumns + " WHERE id = ?", [.int(id)], decode: AccountRows.account).first
    }

    func account(name: String) async throws -> Account? {
        // Two rows are enough to tell a shared name from a unique one.
        let found = try await engine.select(
            AccountRows.accountColumns + " WHERE name = ? ORDER BY id LIMIT 2",
            [.text(name)],
            decode: AccountRows.account
        )
        return found.count == 1 ? found[0] : nil
    }

    func account(email: String) async throws -> Account? {
        // Without case, as SQLite's COLLATE NOCASE and the unique index on lower(email).
        try await engine.select(AccountRows.accountColumns + " WHERE lower(email) = lower(?)", [.text(email)], decode: AccountRows.account).first
    }

    func credentials(accountID: Int64) async throws -> [APICredential] {
        try await engine.select(
            AccountRows.credentialColumns + " WHERE account_id = ? ORDER BY created_at, api_key",
            [.int(accountID)],
            decode: AccountRows.credential
        )
    }

    func credential(apiKey: String) async throws -> APICredential? {
        try await engine.select(AccountRows.credentialColumns + " WHERE api_key = ?", [.text(apiKey)], decode: AccountRows.credential).first
    }

    func replaceSecret(apiKey: String, with credential: NewCredential, now: Instant) async throws -> Bool {
        try await engine.transaction { transaction in
            let found = try await transaction.select("DELETE FROM api_keys WHERE api_key = ? RETURNING account_id", [.text(apiKey)]) {
                try $0.int("account_id")
            }
            guard let accountID = found.first else { return false }
            try await Self.insert(credential, accountID: accountID, now: now, on: transaction)
            // Every node forgets the old secret now, not when its cache entry expires.
            try await transaction.notify("keys")
            return true
        }
    }

    func addCredential(_ credential: NewCredential, accountID: Int64, now: Instant) async throws -> Bool {
        try await engine.transaction { transaction in
            guard
                try await !transaction.select("SELECT id FROM accounts WHERE id = ? FOR KEY SHARE", [.int(accountID)], decode: { try $0.int("id") })
                    .isEmpty
            else { return false }
            try await Self.insert(credential, accountID: accountID, now: now, on: transaction)
            // A node that looked the key up before it existed has cached its absence.
            try await transaction.notify("keys")
            return true
        }
    }

    func removeCredential(apiKey: String, accountID: Int64) async throws -> Bool {
        try await engine.transaction { transaction in
            let removed = try await transaction.select(
                "DELETE FROM api_keys WHERE api_key = ? AND account_id = ? RETURNING api_key",
                [.text(apiKey), .int(accountID)]
            ) { try $0.text("api_key") }
            guard !removed.isEmpty else { return false }
            try await transaction.notify("keys")
            return true
        }
    }

    func changeCurrency(accountID: Int64, to currency: CurrencyCode) async throws -> AccountChange {
        try await engine.transaction { transaction in
            guard let account = try await Self.lock(accountID, on: transaction) else { return .unknownAccount }
            if account.isClosed { return .refused("account \(accountID) is closed") }
            if account.currency == currency { return .changed(account) }
            guard
                let refusal = try await transaction.select(
                    AccountRows.holdingsQuery,
                    Array(repeating: .int(accountID), count: 3),
                    decode: AccountRows.currencyRefusal
                ).first
            else { throw StoreError.corrupt("account \(accountID) holdings") }
            if let refusal { return .refused(refusal) }
            try await transaction.execute("UPDATE accounts SET currency = ? WHERE id = ?", [.text(currency.rawValue), .int(accountID)])
            // Nodes price for the account in the currency they cached: they read it again now.
            try await transaction.notify("keys")
            return try await Self.account(accountID, on: transaction).map(AccountChange.changed) ?? .unknownAccount
        }
    }

    func close(accountID: Int64, now: Instant) async throws -> AccountChange {
        try await engine.transaction { transaction in
            guard let account = try await Self.lock(accountID, on: transaction) else { return .unknownAccount }
            if account.isClosed { return .changed(account) }
            guard
                let refusal = try await transaction.select(
                    AccountRows.holdingsQuery,
                    Array(repeating: .int(accountID), count: 3),
                    decode: AccountRows.closingRefusal
                ).first
            else { throw StoreError.corrupt("account \(accountID) holdings") }
            if let refusal { return .refused(refusal) }
            try await transaction.execute("UPDATE accounts SET closed_at = ? WHERE id = ?", [.int(now.secondsSince1970), .int(accountID)])
            // Every node stops accepting the account's keys now, not when its cache expires.
            try await transaction.notify("keys")
            return try await Self.account(accountID, on: transaction).map(AccountChange.changed) ?? .unknownAccount
        }
    }

    /// Locks the account and its balance row, as a batch of charges locks the balance: a
    /// charge, rental or subscription either committed before (and the checks that follow see
    /// it, each statement reading afresh) or waits until this transaction ends.
    ///
    /// NO KEY UPDATE, not UPDATE: a charge holds its balance lock while its entries' foreign
    /// keys take KEY SHARE on the account row, and a rental takes KEY SHARE before it locks
    /// the balance. UPDATE would conflict with KEY SHARE and deadlock with either.
    static func lock(_ id: Int64, on transaction: PostgresTransaction) async throws -> Account? {
        guard
            try await !transaction.select("SELECT id FROM accounts WHERE id = ? FOR NO KEY UPDATE", [.int(id)], decode: { try $0.int("id") })
                .isEmpty
        else { return nil }
        try await transaction.execute("INSERT INTO account_balances (account_id) VALUES (?) ON CONFLICT (account_id) DO NOTHING", [.int(id)])
        try await transaction.execute("SELECT account_id FROM account_balances WHERE account_id = ? FOR NO KEY UPDATE", [.int(id)])
        return try await account(id, on: transaction)
    }

    static func account(_ id: Int64, on transaction: PostgresTransaction) async throws -> Account? {
        try await transaction.select(AccountRows.accountColumns + " WHERE id = ?", [.int(id)], decode: AccountRows.account).first
    }

    static func insert(_ credential: NewCredential, accountID: Int64, now: Instant, on transaction: PostgresTransaction) async throws {
        try await transaction.execute(
            "INSERT INTO api_keys (api_key, account_id, secret_hash, salt, created_at) VALUES (?, ?, ?, ?, ?)",
            [.text(credential.apiKey), .int(accountID), .text(credential.secretHash), .text(credential.salt), .int(now.secondsSince1970)]
        )
    }
}
