/// Merges shaded periods that touch or overlap and say the same thing, so a month of hourly
/// maintenance flags draws as one rectangle, not seven hundred.
enum ShadedPeriodMerger {
    static func merge(_ periods: [ShadedPeriod]) -> [ShadedPeriod] {
        var out: [ShadedPeriod] = []
        for p in periods.sorted(by: { ($0.kind.rawValue, $0.title, $0.from) < ($1.kind.rawValue, $1.title, $1.from) }) {
            if let last = out.last, last.kind == p.kind, last.title == p.title, p.from <= last.to {
                out[out.count - 1].to = max(last.to, p.to)
            } else {
                out.append(p)
            }
        }
        return out.sorted { ($0.from, $0.kind.rawValue) < ($1.from, $1.kind.rawValue) }
    }
}
