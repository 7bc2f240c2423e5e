import Logging
import Reports
import Rules
import Store

extension ServeCommand {
    /// A done or closed case whose linked rule fires again at a linked station is reopened,
    /// with the firing in its history (防止问题反弹).
    static func reopenCasesOnRelapse(_ rules: RuleService<ContinuousClock>, store: SQLiteStore, logger: Logger) {
        let desk = CaseDesk(register: store.caseRegister)
        rules.onAlertsFired { fired in
            do {
                for change in try await desk.reopenRelapses(fired, by: "envmon rules", now: SQLiteStore.wallClock()) {
                    logger.notice("cases: \(change.record.id) \(change.events.last?.text ?? "reopened")")
                }
            } catch {
                logger.error("cases: cannot reopen the cases of alerts that fired again: \(error)")
            }
        }
    }
}
