public import Store

/// Which cases a list or summary takes.
public struct CaseFilter: Sendable, Hashable {
    /// Only these statuses (empty: all).
    public var statuses: Set<CaseStatus> = []
    /// Only these sources (empty: all).
    public var sources: Set<CaseSource> = []
    /// Only this responsible unit (exact).
    public var unit: String?
    /// Only overdue cases.
    public var overdue = false

    /// Creates a filter that takes everything.
    public init(statuses: Set<CaseStatus> = [], sources: Set<CaseSource> = [], unit: String? = nil, overdue: Bool = false) {
        self.statuses = statuses
        self.sources = sources
        self.unit = unit
        self.overdue = overdue
    }
}

/// The register as it stood at the end of a local date: each case derived from the events
/// that had happened by then (cases opened later are left out), or as kept now.
public struct CaseSnapshot: Sendable, Hashable {
    /// The local date it stands at (for overdue: deadlines before it are past).
    public var asOf: String
    /// The cases, by id.
    public var cases: [CaseRecord]

    /// Creates a snapshot.
    public init(asOf: String, cases: [CaseRecord]) {
        self.asOf = asOf
        self.cases = cases
    }

    /// The register now (`asOf` nil: as kept, overdue against `today`), or at the end of `asOf`.
    public static func make(_ register: any CaseRegister, asOf: String?, today: String, dates: CaseDates) async throws(ReportsError) -> CaseSnapshot {
        do {
            guard let asOf else { return CaseSnapshot(asOf: today, cases: try await register.cases()) }
            let end = dates.end(of: asOf)
            let events = try await register.caseEvents(nil)
            var byCase: [String: [CaseEvent]] = [:]
            for e in events where e.at < end { byCase[e.caseID, default: []].append(e) }
            let cases = byCase.keys.sorted().compactMap { CaseStateMachine.replay(byCase[$0]!) }
            return CaseSnapshot(asOf: asOf, cases: cases)
        } catch {
            throw ReportsError(error.description)
        }
    }

    /// The cases `filter` takes.
    public func filtered(_ filter: CaseFilter) -> [CaseRecord] {
        cases.filter { c in
            (filter.statuses.isEmpty || filter.statuses.contains(c.status)) && (filter.sources.isEmpty || filter.sources.contains(c.source))
                && (filter.unit == nil || filter.unit == c.unit) && (!filter.overdue || c.isOverdue(today: asOf))
        }
    }

    /// Whether a case is overdue at the snapshot's date.
    public func isOverdue(_ c: CaseRecord) -> Bool { c.isOverdue(today: asOf) }
}

/// Counts of cases by status.
public struct CaseCounts: Sendable, Hashable {
    /// All.
    public var total = 0
    /// 未开始.
    public var open = 0
    /// 整改中.
    public var inProgress = 0
    /// 已完成 (not yet closed).
    public var done = 0
    /// 已销号.
    public var closed = 0
    /// Past their deadline and not finished.
    public var overdue = 0

    /// Done or closed: what the bureau's reports call 已完成.
    public var finished: Int { done + closed }

    /// Creates zero counts.
    public init() {}

    mutating func add(_ c: CaseRecord, overdue late: Bool) {
        total += 1
        switch c.status {
        case .open: open += 1
        case .inProgress: inProgress += 1
        case .done: done += 1
        case .closed: closed += 1
        }
        if late { overdue += 1 }
    }
}

/// The summary of a register at a date: "18 tasks: 12 done, 6 in progress", by source and by unit.
public struct CaseSummary: Sendable, Hashable {
    /// The local date.
    public var asOf: String
    /// Every case taken.
    public var all = CaseCounts()
    /// By source, in the order of ``CaseSource``; sources without cases are left out.
    public var bySource: [(source: CaseSource, counts: CaseCounts)] = []
    /// By responsible unit, by unit name.
    public var byUnit: [(unit: String, counts: CaseCounts)] = []

    /// Counts the cases of `snapshot` that `filter` takes.
    public init(_ snapshot: CaseSnapshot, filter: CaseFilter = CaseFilter()) {
        asOf = snapshot.asOf
        var sources: [CaseSource: CaseCounts] = [:]
        var units: [String: CaseCounts] = [:]
        for c in snapshot.filtered(filter) {
            let late = snapshot.isOverdue(c)
            all.add(c, overdue: late)
            sources[c.source, default: CaseCounts()].add(c, overdue: late)
            units[c.unit, default: CaseCounts()].add(c, overdue: late)
        }
        bySource = CaseSource.allCases.compactMap { s in sources[s].map { (s, $0) } }
        byUnit = units.keys.sorted().map { ($0, units[$0]!) }
    }

    public static func == (a: CaseSummary, b: CaseSummary) -> Bool {
        a.asOf == b.asOf && a.all == b.all && a.bySource.map(\.source) == b.bySource.map(\.source)
            && a.bySource.map(\.counts) == b.bySource.map(\.counts) && a.byUnit.map(\.unit) == b.byUnit.map(\.unit)
            && a.byUnit.map(\.counts) == b.byUnit.map(\.counts)
    }

    public func hash(into h: inout Hasher) {
        h.combine(asOf)
        h.combine(all)
    }
}
