/// One thing an operator did, as the audit log keeps it: who, what, to what, when. Events are
/// only ever appended.
public struct AuditEvent: Sendable, Hashable {
    /// Nil until stored; then ascending in the order events were stored.
    public let id: Int64?
    public let at: Instant
    public let actor: AuditActor
    /// What was done, as a dotted name: `account.close`, `api_key.rotate`, `deck.import`.
    public let action: String
    /// What it was done to: `account:12`, `deck:base`, `operator_token:ab12`.
    public let target: String
    /// The particulars, in a sentence; never a secret.
    public let detail: String

    public init(id: Int64? = nil, at: Instant, actor: AuditActor, action: String, target: String, detail: String) {
        self.id = id
        self.at = at
        self.actor = actor
        self.action = action
        self.target = target
        self.detail = detail
    }

    public func stored(as id: Int64) -> AuditEvent {
        AuditEvent(id: id, at: at, actor: actor, action: action, target: target, detail: detail)
    }
}

/// Who acted: an operator token (by its public id, with its holder's name) or the command
/// line on the database's machine (with the system user's name).
public struct AuditActor: Sendable, Hashable {
    /// `operator:<token id>` or `cli`.
    public let id: String
    public let name: String

    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }

    public static func token(_ token: OperatorToken) -> AuditActor { AuditActor(id: "operator:\(token.id)", name: token.name) }

    public static func commandLine(user: String) -> AuditActor { AuditActor(id: "cli", name: user) }
}
