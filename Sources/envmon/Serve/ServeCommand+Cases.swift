import Foundation
import Logging
import Reports
import Rules
import Store

extension ServeCommand {
    /// A done or closed case whose linked rule fires again at a linked station is reopened,
    /// with the firing in its history (防止问题反弹).
    /// Dates in the reasons it writes are in `zone`, the bureau's.
    static func reopenCasesOnRelapse(_ rules: RuleService<ContinuousClock>, store: any MonitoringStore, zone: TimeZone, logger: Logger) {
        let desk = CaseDesk(register: store.caseRegister, zone: zone)
        rules.onAlertsFired { fired in
            do {
                for change in try await desk.reopenRelapses(fired, by: "envmon rules", now: WallClock.seconds()) {
                    logger.notice("cases: \(change.record.id) \(change.events.last?.text ?? "reopened")")
                }
            } catch {
                logger.error("cases: cannot reopen the cases of alerts that fired again: \(error)")
            }
        }
    }

    /// At start: relapses the journal holds but no case shows (the daemon died between an alert's
    /// transaction and the reopening's), over the last 400 days, as `max_past` allows readings.
    static func catchUpCaseRelapses(store: any MonitoringStore, zone: TimeZone, logger: Logger) async {
        let now = WallClock.seconds()
        do {
            let episodes = try await store.alertEpisodes(overlapping: (now - 400 * 86_400)..<(now + 1))
            for change in try await CaseDesk(register: store.caseRegister, zone: zone).catchUpRelapses(episodes, by: "envmon rules", now: now) {
                logger.notice("cases: \(change.record.id) \(change.events.last?.text ?? "reopened") (caught up at start)")
            }
        } catch {
            logger.error("cases: cannot catch up on relapses at start: \(error)")
        }
    }
}
