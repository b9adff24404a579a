import Foundation
import TariffCore
import TariffStore

/// Records an operator's action taken on the command line in the audit log, by the system
/// user who ran it. The action is done by then: a failure to record it is reported, not thrown.
func audit(_ store: any TariffStore, _ global: GlobalOptions, _ action: String, target: String, detail: String) async {
    let user = ProcessInfo.processInfo.environment["USER"] ?? ProcessInfo.processInfo.environment["LOGNAME"] ?? "unknown"
    do {
        let event = AuditEvent(at: try global.now(), actor: .commandLine(user: user), action: action, target: target, detail: detail)
        try await store.audit.record(event)
    } catch {
        printError("warning: \(action) was done, but not recorded in the audit log: \(error)")
    }
}
