import Foundation
public import Monitoring
public import Rules
public import Store

/// What an alert episode's time was made of: buckets of the rule's basis (hours, or local days)
/// with data above the limit, with data within it, and without data.
///
/// An episode stays firing through a data gap (a silent station never resolves an exceedance), so
/// "firing 20d" may hold 2 days above the limit and 18 without data; a report must tell them apart.
/// Computed from the store's hourly rollups as the rule judges: an hour is valid when its valid
/// readings cover the rule's hour coverage, a day when it has the rule's minimum of valid hours
/// (its mean the plain mean of those hours), a reading rule's hour above when its highest valid
/// reading is (lowest, for a lower limit).
public struct EpisodeCoverage: Sendable, Hashable {
    /// The bucket the counts are in.
    public enum Unit: String, Sendable { case hour, day }

    public var unit: Unit
    public var above: Int
    public var within: Int
    public var noData: Int

    public init(unit: Unit, above: Int, within: Int, noData: Int) {
        self.unit = unit
        self.above = above
        self.within = within
        self.noData = noData
    }

    /// `above the limit 2d, within 0d, without data 18d` (or in hours).
    public func summary(_ language: ReportLanguage = .en) -> String {
        let u = unit == .day ? language.pick("天", "d") : language.pick("小时", "h")
        return language.pick(
            "超标\(above)\(u)，未超标\(within)\(u)，无数据\(noData)\(u)",
            "above the limit \(above)\(u), within \(within)\(u), without data \(noData)\(u)")
    }

    /// The coverage of `episode` under `rule`, or nil when the rule is not a threshold on one
    /// parameter (device flags, AQI, targets, deadman: their time is not "above a limit"), when
    /// its limit cannot be resolved, or when it is O2-corrected (the rollups hold uncorrected values).
    ///
    /// - Parameter now: The end of an episode still open (injected, never the wall clock).
    public static func measure(
        _ episode: AlertEpisode, rule: Rule, station: Station, store: any MonitoringStore, now: Int64
    ) async throws -> EpisodeCoverage? {
        guard case .threshold(let threshold) = rule.condition, threshold.oxygenReference == nil, episode.key.parameter != "*",
            let sp = station.parameter(episode.key.parameter)
        else { return nil }
        let end = max(episode.startedAt + 1, episode.endedAt ?? now)
        let calendar = ZoneCalendar(station.timeZone)
        let isDay = threshold.basis == .day
        // Whole buckets around the episode: the station's clock hours (days) it touched, as the
        // rule engine judges them (on a half-hour zone they start at :30 UTC, and the store then
        // answers from the raw readings instead of its UTC hour rollups).
        let lower = isDay ? calendar.day(containing: episode.startedAt).lowerBound : calendar.hourStart(containing: episode.startedAt)
        let upper = isDay ? calendar.day(containing: end - 1).upperBound : calendar.hourStart(containing: end - 1) + 3_600
        guard let limit = resolveLimit(threshold, station: station, parameter: sp, at: episode.startedAt) else { return nil }
        let key = SeriesKey(station: station.id, parameter: sp.parameter.id, kind: try await kind(of: sp.parameter.id, station.id, store))
        let function: Aggregation = threshold.basis == .reading ? (limit.above != nil ? .max : .min) : .avg
        let rows = try await store.aggregate(AggregateQuery(series: key, range: lower..<upper, step: 3_600, function: function))
        var hourly: [Int64: Double] = [:]
        for row in rows where row.expectedCount > 0 && Double(row.validCount) >= threshold.hourCoverage * Double(row.expectedCount) {
            if let v = row.value { hourly[row.start] = v }
        }
        var coverage = EpisodeCoverage(unit: isDay ? .day : .hour, above: 0, within: 0, noData: 0)
        func count(_ value: Double?) {
            guard let value else { return coverage.noData += 1 }
            if limit.exceeded(by: value) { coverage.above += 1 } else { coverage.within += 1 }
        }
        if isDay {
            var day = calendar.day(containing: lower)
            while day.lowerBound < upper {
                let values = stride(from: day.lowerBound, to: day.upperBound, by: 3_600).compactMap { hourly[$0] }
                count(values.count >= threshold.minimumHours ? values.reduce(0, +) / Double(values.count) : nil)
                day = calendar.day(after: day.lowerBound, days: 1)
            }
        } else {
            for hour in stride(from: lower, to: upper, by: 3_600) { count(hourly[hour]) }
        }
        return coverage
    }

    /// Upper and lower limit in the stored unit.
    struct ResolvedLimit {
        var above: Double?
        var below: Double?
        func exceeded(by v: Double) -> Bool { (above.map { v > $0 } ?? false) || (below.map { v < $0 } ?? false) }
    }

    static func resolveLimit(_ threshold: Threshold, station: Station, parameter sp: StationParameter, at instant: Int64) -> ResolvedLimit? {
        switch threshold.source {
        case .fixed(let above, let below):
            return ResolvedLimit(above: above, below: below)
        case .station:
            let basis = Limit.Basis(rawValue: threshold.basis.rawValue) ?? .reading
            guard let limit = sp.limits.first(where: { $0.basis == basis }) ?? sp.limits.first else { return nil }
            return ResolvedLimit(above: limit.max, below: limit.min)
        case .ambient(let grade):
            let period: AveragingPeriod = threshold.basis == .day ? .day : .hour
            guard let limit = AmbientAirLimits.applicable(at: instant).limit(sp.parameter.id, period, grade: grade),
                let unit = MeasurementUnit(parsing: limit.unit), let toLimit = sp.unit.factor(to: unit), toLimit > 0
            else { return nil }
            return ResolvedLimit(above: Double(truncating: limit.limit as NSDecimalNumber) / toLimit, below: nil)
        }
    }

    /// The stored kind to read: hour data when stored, else the finest.
    static func kind(of parameter: String, _ station: String, _ store: any MonitoringStore) async throws -> SeriesKind {
        let present = Set(try await store.storedSeries(ofStation: station).map(\.key).filter { $0.parameter == parameter }.map(\.kind))
        return SeriesKind.hourlySource(where: present.contains) ?? .hour
    }
}
