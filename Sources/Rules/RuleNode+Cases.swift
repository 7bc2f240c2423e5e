import EnvmonConfig
import Foundation
import Store
import Yams

extension RuleNode {
    /// A `case_overdue` rule: `sources` (case sources, all by default) and `zone` (of the
    /// deadlines, Asia/Shanghai by default).
    mutating func caseOverdue() -> RuleCondition {
        var sources: Set<CaseSource> = []
        if let s = node.value(forKey: "sources") {
            for item in list(s, "sources") {
                guard let v = item.text.flatMap(CaseSource.init(rawValue:)) else {
                    fail(.badValue, "unknown case source '\(item.text ?? "?")' (\(CaseSource.allCases.map(\.rawValue).joined(separator: ", ")))", at: item)
                    continue
                }
                sources.insert(v)
            }
        }
        var zone = TimeZone(identifier: "Asia/Shanghai")!
        if let z = node.value(forKey: "zone") {
            if let v = z.text.flatMap(TimeZone.init(identifier:)) { zone = v } else { fail(.badValue, "zone must be an IANA time zone (Asia/Shanghai)", at: z) }
        }
        return .caseOverdue(sources: sources, zone: zone)
    }
}
