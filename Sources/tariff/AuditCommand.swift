import ArgumentParser
import TariffCore
import TariffHTTP
import TariffStore

/// `tariff audit`: what operators did, through the operator routes or this command line.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "List what operators did (who, what, when), oldest first; the same events as GET /v1/admin/audit."
    )

    @Option(help: "Only events after this id (the last id of the page before).")
    var after: Int64 = 0

    @Option(help: "At most this many events (1 to 100000).")
    var limit = 1000

    @Option(help: "Only this action (account.close, api_key.rotate, deck.import, ...).")
    var action: String?

    @Option(help: "Only this target (account:12, deck:base, ...).")
    var target: String?

    @Flag(help: "Print as JSON.")
    var json = false

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        guard after >= 0 else { throw ValidationError("--after: 0 or more") }
        guard (1...100_000).contains(limit) else { throw ValidationError("--limit: 1 to 100000") }
    }

    func run() async throws {
        let events = try await withStore(global) { store in
            try await store.audit.events(after: after, limit: limit, action: action, target: target)
        }
        if json { return printJSON(events.map(AuditEventRecord.init)) }
        guard !events.isEmpty else { return print("no audit events\(after > 0 ? " after \(after)" : "")") }
        print(
            table(
                events.map { [String($0.id ?? 0), $0.at.iso8601, "\($0.actor.id) (\($0.actor.name))", $0.action, $0.target, $0.detail] },
                header: ["id", "at", "actor", "action", "target", "detail"]
            )
        )
    }
}
