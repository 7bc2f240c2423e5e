public import Foundation
import Monitoring
public import Store

/// The case register's operations: import, open from an alert, note, close, reopen, and the
/// reopening of finished cases whose linked rule fires again. Each is one small transaction in
/// which the state machine judges the case as it is then. Time and author are passed in: the
/// desk reads no clock.
///
/// ```swift
/// let desk = CaseDesk(register: try SQLiteCaseRegister(path: "var/envmon.sqlite"))
/// try await desk.note("ZY-2026-03", text: "完成围挡", evidence: ["photo.jpg"], status: .inProgress, by: "li", at: now)
/// ```
public struct CaseDesk: Sendable {
    /// Where the cases are kept.
    public let register: any CaseRegister
    /// The local dates of deadlines and notes.
    public let dates: CaseDates

    /// Creates a desk on a register, with dates in `zone`.
    public init(register: any CaseRegister, zone: TimeZone = TimeZone(identifier: "Asia/Shanghai")!) {
        self.register = register
        dates = CaseDates(zone: zone)
    }

    /// Runs a store call, its error as the operator should read it.
    func stored<T>(_ body: () async throws -> T) async throws(ReportsError) -> T {
        do {
            return try await body()
        } catch let error as StoreError {
            throw ReportsError(error.code == .conflict || error.code == .notFound ? error.message : error.description)
        } catch {
            throw ReportsError("\(error)")
        }
    }

    /// Applies one action to one case; refused (with why) when the case does not exist or the
    /// state machine does not allow it.
    public func act(_ id: String, _ action: CaseAction, by author: String, at: Int64, now: Int64) async throws(ReportsError) -> CaseChange {
        let changes = try await stored {
            try await register.changeCases([id], recordedAt: now) { current in
                guard let record = current[id] else { return .refuse("no case \(id) in the register (see `envmon cases list`)") }
                do {
                    let (after, event) = try CaseStateMachine.apply(action, to: record, at: at, by: author)
                    return .apply([CaseChange(record: after, events: [event])])
                } catch {
                    return .refuse("\(error)")
                }
            }
        }
        return changes[0]
    }

    /// Adds a progress note (which may move the case to in-progress or done).
    public func note(
        _ id: String, text: String, evidence: [String] = [], status: CaseStatus? = nil, by author: String, at: Int64, now: Int64? = nil
    ) async throws(ReportsError) -> CaseChange {
        try await act(id, .note(text: text, evidence: evidence, status: status), by: author, at: at, now: now ?? at)
    }

    /// Closes a done case (销号) with the verification note.
    public func close(_ id: String, note: String, evidence: [String] = [], by author: String, at: Int64, now: Int64? = nil) async throws(ReportsError)
        -> CaseChange
    {
        try await act(id, .close(note: note, evidence: evidence), by: author, at: at, now: now ?? at)
    }

    /// Reopens a done or closed case.
    public func reopen(_ id: String, reason: String, by author: String, at: Int64, now: Int64? = nil) async throws(ReportsError) -> CaseChange {
        try await act(id, .reopen(reason: reason), by: author, at: at, now: now ?? at)
    }

    /// Opens a case from an alert episode: its station, rule and parameter become the case's
    /// links, its firing time the opening time. The id defaults to `AL-<episode>`, so an
    /// episode opens one case at most.
    /// - Parameters:
    ///   - title: the case's title; by default the rule, station and parameter.
    ///   - stationName: a station's name for the default title, if known.
    public func open(
        fromAlert episodeID: Int64, id: String? = nil, title: String? = nil, unit: String = "", leader: String = "", deadline: String? = nil,
        stationName: String? = nil, language: ReportLanguage = .zhCN, by author: String, now: Int64
    ) async throws(ReportsError) -> CaseChange {
        guard let episode = try await stored({ try await register.alertEpisode(episodeID) }) else {
            throw ReportsError("no alert episode \(episodeID) (see `envmon alerts list --episodes`)")
        }
        if let deadline { _ = try LocalDates.parse(deadline, option: "--deadline") }
        let caseID = id ?? "AL-\(episodeID)"
        let k = episode.key
        let what = k.parameter == "*" ? "" : " \(k.parameter)"
        let place = stationName ?? k.station
        let text = title ?? language.pick("\(place)\(what) 预警（\(k.rule)）", "\(place)\(what) alert (\(k.rule))")
        var record = CaseRecord(
            id: caseID, title: text, source: .alert, unit: unit, leader: leader, deadline: deadline,
            stations: k.station == "*" ? [] : [k.station], rules: [k.rule], parameter: k.parameter == "*" ? nil : k.parameter, episode: episodeID,
            openedAt: episode.firedAt)
        record.statusSince = episode.firedAt
        let opening = record
        let fired = dates.dateTime(of: episode.firedAt)
        let reason =
            "opened from alert episode \(episodeID): \(k) \(episode.state.rawValue) since \(fired)"
            + (episode.endedAt.map { ", ended \(dates.dateTime(of: $0))" } ?? ", still open")
            + (episode.peak.map { ", peak \(LocalDates.display($0))" } ?? "")
        let opened = CaseEvent(caseID: caseID, kind: .opened, at: episode.firedAt, author: author, to: .open, text: reason, fields: CaseFields.of(record))
        let changes = try await stored {
            try await register.changeCases([caseID], recordedAt: now) { current in
                if let existing = current[caseID] {
                    return .refuse("case \(caseID) exists already (\(existing.title)); give another --id")
                }
                return .apply([CaseChange(record: opening, events: [opened])])
            }
        }
        return changes[0]
    }

    /// Reopens, from the alert journal's episodes, the finished cases whose linked rule fired
    /// again while nothing reopened them: the daemon reopens as an alert fires, in a transaction
    /// of its own after the alert's, so a crash between the two would leave a relapse unseen.
    /// Run at start; as ``reopenRelapses(_:by:now:)`` it is safe to repeat.
    public func catchUpRelapses(_ episodes: [AlertEpisode], by author: String, now: Int64) async throws(ReportsError) -> [CaseChange] {
        try await reopenRelapses(episodes.filter { $0.state == .firing }.map { (key: $0.key, at: $0.firedAt) }, by: author, now: now)
    }

    /// Reopens the finished (done or closed) cases whose linked rule fired again at a linked
    /// station (any station when the case links none) after the case was finished: 防止问题反弹.
    /// Idempotent: a case already reopened, or finished after the firing, is left alone.
    /// - Parameters:
    ///   - fired: alert instances that started firing, and when.
    /// - Returns: the cases reopened.
    public func reopenRelapses(_ fired: [(key: AlertKey, at: Int64)], by author: String, now: Int64) async throws(ReportsError) -> [CaseChange] {
        guard !fired.isEmpty else { return [] }
        let rules = Set(fired.map(\.key.rule))
        let candidates = try await stored { try await register.cases() }.filter { c in
            c.status.isFinished && c.rules.contains(where: rules.contains)
        }
        guard !candidates.isEmpty else { return [] }
        let dates = self.dates
        return try await stored {
            try await register.changeCases(candidates.map(\.id), recordedAt: now) { current in
                var out: [CaseChange] = []
                for id in candidates.map(\.id) {
                    guard let record = current[id], record.status.isFinished else { continue }
                    let relapse = fired.filter { f in
                        record.rules.contains(f.key.rule) && (record.stations.isEmpty || record.stations.contains(f.key.station)) && f.at > record.statusSince
                    }.min { $0.at < $1.at }
                    guard let relapse else { continue }
                    let what = relapse.key.parameter == "*" ? "" : " \(relapse.key.parameter)"
                    let reason = "reopened: rule \(relapse.key.rule) fired again at \(relapse.key.station)\(what) at \(dates.dateTime(of: relapse.at)) (防止问题反弹)"
                    guard let (after, event) = try? CaseStateMachine.apply(.reopen(reason: reason), to: record, at: relapse.at, by: author) else { continue }
                    out.append(CaseChange(record: after, events: [event]))
                }
                return .apply(out)
            }
        }
    }
}
