/// Decides whether a notification is held by an inhibit rule, with Alertmanager's semantics.
/// Pure: the caller passes the alerts that are firing now.
///
/// An alert is inhibited when, for some rule, it matches the rule's target matchers and some
/// firing alert matches the source matchers and has the same values of every `equal` label (a
/// missing label counts as empty on both sides).
///
/// An alert never inhibits itself. As in Alertmanager, when the alert matches the source side of
/// a rule too, firing alerts that match that rule's target side are not counted as sources for
/// it, so two alerts that each match both sides do not silence each other, and `firing` may
/// include the alert being judged.
///
/// ```swift
/// let inhibitor = Inhibitor(rules: configuration.inhibitRules)
/// let held = inhibitor.isInhibited(["severity": "warning", "station": "s1"], firing: firingLabelSets)
/// ```
public struct Inhibitor: Sendable {
    /// The rules, in file order.
    public var rules: [InhibitRule]

    /// Creates an inhibitor.
    public init(rules: [InhibitRule]) { self.rules = rules }

    /// Whether `labels` are inhibited while the alerts with the label sets `firing` fire.
    /// - Parameters:
    ///   - labels: the alert to judge.
    ///   - firing: the label sets of every alert firing now (resolved ones left out); it may
    ///     contain `labels` itself.
    public func isInhibited(_ labels: [String: String], firing: [[String: String]]) -> Bool {
        inhibitingRule(for: labels, firing: firing) != nil
    }

    /// The first rule that inhibits `labels`, with the alert that does it; nil when none does.
    public func inhibitingRule(for labels: [String: String], firing: [[String: String]]) -> (rule: InhibitRule, source: [String: String])? {
        for rule in rules where rule.targetMatchers.allSatisfy({ $0.matches(labels) }) {
            let twoSided = rule.sourceMatchers.allSatisfy { $0.matches(labels) }
            for source in firing where rule.sourceMatchers.allSatisfy({ $0.matches(source) }) {
                guard rule.equal.allSatisfy({ (source[$0] ?? "") == (labels[$0] ?? "") }) else { continue }
                if twoSided && rule.targetMatchers.allSatisfy({ $0.matches(source) }) { continue }
                return (rule, source)
            }
        }
        return nil
    }
}
