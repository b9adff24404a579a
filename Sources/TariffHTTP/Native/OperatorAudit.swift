import Logging
import TariffCore
import TariffStore

extension LiveState {
    /// Records an operator's action once it is done. A failure to record is logged and counted,
    /// not answered: the action took effect, and a client told it failed would repeat it.
    func audit(_ token: OperatorToken, _ action: String, target: String, detail: String) async {
        let event = AuditEvent(at: now(), actor: .token(token), action: action, target: target, detail: detail)
        do {
            try await store.audit.record(event)
        } catch {
            if let error = error as? StoreError { metrics.storeError(error) }
            logger.error(
                "audit event not recorded",
                metadata: ["operator": "\(token.id)", "action": "\(action)", "target": "\(target)", "error": "\(error)"]
            )
        }
    }
}
