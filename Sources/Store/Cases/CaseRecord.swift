/// Where a rectification case stands. The bureau's four words, in order:
///
/// ```
/// open 未开始 ─note─► in-progress 整改中 ─note --status done─► done 已完成 ─close─► closed 已销号
///                          ▲                                      │                  │
///                          └──────── reopen (by hand, or its linked rule fires again) ┘
/// ```
/// Which moves are allowed is the case state machine's (`CaseStateMachine` in Reports); the
/// store only keeps the state and every event that moved it.
public enum CaseStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Registered, nothing done yet (未开始).
    case open
    /// Being rectified (整改中).
    case inProgress = "in-progress"
    /// Rectified, awaiting verification (已完成).
    case done
    /// Verified and closed (已销号).
    case closed

    /// Done or closed: a finished case is never overdue.
    public var isFinished: Bool { self == .done || self == .closed }
}

/// Where a case came from.
public enum CaseSource: String, Sendable, Hashable, Codable, CaseIterable {
    /// The central environmental inspection's findings (中央环保督察).
    case centralInspection = "central-inspection"
    /// A provincial inspection's findings (省级督察).
    case provincialInspection = "provincial-inspection"
    /// A petition or complaint (信访投诉).
    case complaint
    /// An alert episode of envmon's own rules (预警).
    case alert
}

/// A case as it stands now: the state its events lead to, kept beside them so that lists and
/// the rule engine read one row a case instead of replaying its history.
public struct CaseRecord: Sendable, Hashable, Codable {
    /// The register's id, such as `ZY-2026-03`; unique, never reused.
    public var id: String
    /// What is to be rectified.
    public var title: String
    /// Where it came from.
    public var source: CaseSource
    /// The responsible unit (责任单位).
    public var unit: String
    /// The responsible leader (包案领导).
    public var leader: String
    /// The deadline, a local date `YYYY-MM-DD` (inclusive: overdue from the next day), if any.
    public var deadline: String?
    /// Where it stands.
    public var status: CaseStatus
    /// Linked stations (ids in sensors/).
    public var stations: [String]
    /// Linked rules (names in rules/): when one fires again at a linked station, a finished case reopens.
    public var rules: [String]
    /// The parameter of the alert it was opened from, if any.
    public var parameter: String?
    /// The alert episode it was opened from, if any.
    public var episode: Int64?
    /// When it was registered (UTC seconds; the effective time, not when it was typed in).
    public var openedAt: Int64
    /// When it entered ``status``.
    public var statusSince: Int64
    /// How many times it was reopened.
    public var reopenCount: Int
    /// How many events it has: the sequence number of its last event.
    public var revision: Int

    /// Creates a record.
    public init(
        id: String, title: String, source: CaseSource, unit: String = "", leader: String = "", deadline: String? = nil,
        status: CaseStatus = .open, stations: [String] = [], rules: [String] = [], parameter: String? = nil, episode: Int64? = nil,
        openedAt: Int64, statusSince: Int64? = nil, reopenCount: Int = 0, revision: Int = 0
    ) {
        self.id = id
        self.title = title
        self.source = source
        self.unit = unit
        self.leader = leader
        self.deadline = deadline
        self.status = status
        self.stations = stations
        self.rules = rules
        self.parameter = parameter
        self.episode = episode
        self.openedAt = openedAt
        self.statusSince = statusSince ?? openedAt
        self.reopenCount = reopenCount
        self.revision = revision
    }

    /// Whether it is past its deadline and not finished on the local date `today` (`YYYY-MM-DD`):
    /// the deadline day itself is still in time.
    public func isOverdue(today: String) -> Bool {
        guard let deadline, !status.isFinished else { return false }
        return deadline < today
    }
}
