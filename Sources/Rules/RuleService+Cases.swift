import Logging
import Store

extension EngineBox {
    /// Reads the case register into the engine, when a rule judges it; a failed read keeps the
    /// cases read last (an overdue alert neither fires nor resolves on a read error).
    func readCases(_ register: any CaseRegister, logger: Logger) async {
        guard engine.hasCaseRules else { return }
        do {
            engine.updateCases(try await register.cases())
        } catch {
            logger.error("rules: cannot read the case register: \(error)")
        }
    }
}
