import Hummingbird
import NIOCore
import TariffCore
import TariffStore

/// An account's credentials, for the operator:
/// - API keys: `GET|POST /v1/admin/accounts/{id}/keys`, `POST .../keys/{api_key}/rotate`,
///   `DELETE .../keys/{api_key}`. A secret is shown only in the answer that made it.
/// - Voximplant service keys: `GET|POST /v1/admin/accounts/{id}/service-keys`,
///   `DELETE .../service-keys/{key_id}`. The answer to POST is the credentials file the SDKs
///   load; its private key is kept nowhere else.
///
/// Every change advances this node's cache epoch, so that a revoked key is refused here by the
/// next request; on PostgreSQL the store's announcement does the same on every node.
struct NativeAdminKeysController<Context: RequestContext> {
    let state: LiveState

    func addRoutes(to group: RouterGroup<Context>) {
        let account = group.group("admin/accounts/:id")
        account.get("keys") { request, context in try await listKeys(request, context: context) }
        account.post("keys") { request, context in try await createKey(request, context: context) }
        account.post("keys/:api_key/rotate") { request, context in try await rotateKey(request, context: context) }
        account.delete("keys/:api_key") { request, context in try await revokeKey(request, context: context) }
        account.get("service-keys") { request, context in try await listServiceKeys(request, context: context) }
        account.post("service-keys") { request, context in try await createServiceKey(request, context: context) }
        account.delete("service-keys/:key_id") { request, context in try await revokeServiceKey(request, context: context) }
    }

    func account(_ context: Context) async throws -> Account {
        try await NativeAdminController<Context>.account(context, state: state)
    }

    /// A closed account gets no new credential.
    func openAccount(_ context: Context) async throws -> Account {
        try await NativeAdminController<Context>.openAccount(context, state: state)
    }

    struct KeyBody: Encodable {
        let apiKey: String
        let createdAt: String
    }

    struct KeyList<Key: Encodable>: Encodable {
        let keys: [Key]
        let totalCount: Int
    }

    func listKeys(_ request: Request, context: Context) async throws -> Response {
        _ = try await NativeAuth.operator(request, state: state)
        let account = try await account(context)
        let keys = try await state.store.accounts.credentials(accountID: account.id).map {
            KeyBody(apiKey: $0.apiKey, createdAt: $0.createdAt.iso8601)
        }
        return try NativeEncoding.json(KeyList(keys: keys, totalCount: keys.count))
    }

    func createKey(_ request: Request, context: Context) async throws -> Response {
        let token = try await NativeAuth.operator(request, state: state)
        let account = try await openAccount(context)
        let (credential, secret) = Credentials.make()
        guard try await state.store.accounts.addCredential(credential, accountID: account.id, now: state.now()) else {
            throw NativeError.notFound("no such account")
        }
        state.cacheEpoch.advance()
        await state.audit(token, "api_key.create", target: "account:\(account.id)", detail: "key \(credential.apiKey)")
        return try NativeEncoding.json(AccountOpening.Issued(accountId: account.id, apiKey: credential.apiKey, apiSecret: secret), status: .created)
    }

    /// The key the path names, if it is this account's.
    func key(of account: Account, _ context: Context) async throws -> APICredential {
        let apiKey = try context.parameters.require("api_key")
        guard let credential = try await state.store.accounts.credential(apiKey: apiKey), credential.accountID == account.id else {
            throw NativeError.notFound("account \(account.id) has no such API key")
        }
        return credential
    }

    func rotateKey(_ request: Request, context: Context) async throws -> Response {
        let token = try await NativeAuth.operator(request, state: state)
        let account = try await openAccount(context)
        let existing = try await key(of: account, context)
        let (credential, secret) = Credentials.make(apiKey: existing.apiKey)
        guard try await state.store.accounts.replaceSecret(apiKey: existing.apiKey, with: credential, now: state.now()) else {
            throw NativeError.notFound("account \(account.id) has no such API key")
        }
        state.cacheEpoch.advance()
        await state.audit(token, "api_key.rotate", target: "account:\(account.id)", detail: "key \(existing.apiKey)")
        return try NativeEncoding.json(AccountOpening.Issued(accountId: account.id, apiKey: existing.apiKey, apiSecret: secret))
    }

    func revokeKey(_ request: Request, context: Context) async throws -> Response {
        let token = try await NativeAuth.operator(request, state: state)
        let account = try await account(context)
        let existing = try await key(of: account, context)
        guard try await state.store.accounts.removeCredential(apiKey: existing.apiKey, accountID: account.id) else {
            throw NativeError.notFound("account \(account.id) has no such API key")
        }
        state.cacheEpoch.advance()
        await state.audit(token, "api_key.revoke", target: "account:\(account.id)", detail: "key \(existing.apiKey)")
        return Response(status: .noContent)
    }

    struct ServiceKeyBody: Encodable {
        let keyId: String
        let createdAt: String
        let revokedAt: String?

        enum CodingKeys: String, CodingKey { case keyId, createdAt, revokedAt }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(keyId, forKey: .keyId)
            try container.encode(createdAt, forKey: .createdAt)
            try container.encode(revokedAt, forKey: .revokedAt)
        }
    }

    func listServiceKeys(_ request: Request, context: Context) async throws -> Response {
        _ = try await NativeAuth.operator(request, state: state)
        let account = try await account(context)
        let keys = try await state.store.serviceKeys.keys(accountID: account.id).map {
            ServiceKeyBody(keyId: $0.keyID, createdAt: $0.createdAt.iso8601, revokedAt: $0.revokedAt?.iso8601)
        }
        return try NativeEncoding.json(KeyList(keys: keys, totalCount: keys.count))
    }

    func createServiceKey(_ request: Request, context: Context) async throws -> Response {
        let token = try await NativeAuth.operator(request, state: state)
        let account = try await openAccount(context)
        let key = try ServiceKeys.generate()
        guard try await state.store.serviceKeys.add(keyID: key.keyID, accountID: account.id, publicKeyPEM: key.publicKeyPEM, now: state.now()) != nil
        else { throw NativeError.notFound("no such account") }
        state.cacheEpoch.advance()
        await state.audit(token, "service_key.create", target: "account:\(account.id)", detail: "service key \(key.keyID)")
        let credentials = ServiceAccountCredentials(
            accountID: account.id,
            accountEmail: account.email ?? "",
            keyID: key.keyID,
            privateKey: key.privateKeyPEM
        )
        return Response(
            status: .created,
            headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: try credentials.encoded()))
        )
    }

    func revokeServiceKey(_ request: Request, context: Context) async throws -> Response {
        let token = try await NativeAuth.operator(request, state: state)
        let account = try await account(context)
        let keyID = try context.parameters.require("key_id")
        guard let key = try await state.store.serviceKeys.key(keyID: keyID), key.accountID == account.id else {
            throw NativeError.notFound("account \(account.id) has no such service key")
        }
        // Revoking a revoked key again answers as the first time did, and is not audited twice.
        if try await state.store.serviceKeys.revoke(keyID: keyID, now: state.now()) {
            state.cacheEpoch.advance()
            await state.audit(token, "service_key.revoke", target: "account:\(account.id)", detail: "service key \(keyID)")
        }
        return Response(status: .noContent)
    }
}
