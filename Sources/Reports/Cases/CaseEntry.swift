import Foundation
public import Store

/// One case as an import file gives it, before it meets the register.
public struct CaseEntry: Sendable, Hashable {
    /// A dated progress note.
    public struct Note: Sendable, Hashable {
        /// The local date, `YYYY-MM-DD`.
        public var date: String
        /// What was done.
        public var text: String
        /// Evidence, as given.
        public var evidence: [String]
        /// The status it moves the case to (in-progress or done), if any.
        public var status: CaseStatus?

        /// Creates a note.
        public init(date: String, text: String, evidence: [String] = [], status: CaseStatus? = nil) {
            self.date = date
            self.text = text
            self.evidence = evidence
            self.status = status
        }
    }

    /// The register's id.
    public var id: String
    /// What is to be rectified.
    public var title: String
    /// Where it came from.
    public var source: CaseSource
    /// 责任单位.
    public var unit: String
    /// 包案领导.
    public var leader: String
    /// When it was registered, a local date; nil: at the import.
    public var opened: String?
    /// The deadline, a local date.
    public var deadline: String?
    /// The status the file says it has (nil: what its notes lead to).
    public var status: CaseStatus?
    /// When it reached that status, a local date (nil: at the import).
    public var statusDate: String?
    /// Linked stations.
    public var stations: [String]
    /// Linked rules.
    public var rules: [String]
    /// Progress notes, in order.
    public var notes: [Note]
    /// The closing (销号) note and its date, when the file says the case is closed.
    public var closed: Note?
    /// Where it was read, for messages: `seeds/cases.yaml:12`.
    public var origin: String

    /// Creates an entry.
    public init(
        id: String, title: String, source: CaseSource, unit: String = "", leader: String = "", opened: String? = nil, deadline: String? = nil,
        status: CaseStatus? = nil, statusDate: String? = nil, stations: [String] = [], rules: [String] = [], notes: [Note] = [],
        closed: Note? = nil, origin: String = ""
    ) {
        self.id = id
        self.title = title
        self.source = source
        self.unit = unit
        self.leader = leader
        self.opened = opened
        self.deadline = deadline
        self.status = status
        self.statusDate = statusDate
        self.stations = stations
        self.rules = rules
        self.notes = notes
        self.closed = closed
        self.origin = origin
    }
}

extension CaseSource {
    /// Parses the source as files and options write it: `central-inspection` or 中央环保督察 (中央督察),
    /// `provincial-inspection` or 省级督察, `complaint` or 信访投诉 (信访, 投诉, petition), `alert` or 预警.
    public init?(parsing text: String) {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "central-inspection", "central", "中央环保督察", "中央督察", "中央生态环境保护督察": self = .centralInspection
        case "provincial-inspection", "provincial", "省级督察", "省级环保督察", "省级督查": self = .provincialInspection
        case "complaint", "petition", "信访投诉", "信访", "投诉", "信访案件": self = .complaint
        case "alert", "预警": self = .alert
        default: return nil
        }
    }
}

extension CaseStatus {
    /// Parses `open`, `in-progress`, `done`, `closed`, or 未开始, 整改中, 已完成, 已销号.
    public init?(parsing text: String) {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "open", "未开始": self = .open
        case "in-progress", "in_progress", "inprogress", "整改中", "推进中": self = .inProgress
        case "done", "已完成", "完成": self = .done
        case "closed", "已销号", "销号": self = .closed
        default: return nil
        }
    }
}
