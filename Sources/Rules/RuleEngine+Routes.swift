public import Monitoring
import Store

/// What the engine keeps per series: the rules that apply to it and its open hours and days.
struct Route {
    let station: Station
    let parameter: String
    /// The series' kind; with the station's interval it says how many readings an hour promises.
    let kind: SeriesKind
    /// The station's calendar, for its local hours and days.
    let calendar: ZoneCalendar
    var readingSlots: [Slot] = []
    var hourSlots: [Slot] = []
    var daySlots: [Slot] = []
    /// Open hours by their first instant.
    var hours: [Int64: HourAccumulator] = [:]
    /// Open days by their first instant.
    var days: [Int64: DayAccumulator] = [:]
    /// Hours and days before these have been judged: later readings for them are too late.
    var hoursJudgedBefore: Int64 = .min
    var daysJudgedBefore: Int64 = .min
    /// Its hourly and daily means feed a station-wide rule (water class, AQI).
    var feedsStation = false
    /// It is the station's O2, which hourly limits at a reference O2 are corrected with.
    var feedsOxygen = false

    var averages: Bool { !hourSlots.isEmpty || !daySlots.isEmpty || feedsStation || feedsOxygen }

    /// Seconds between the readings the series promises: its kind's period (an hour for the
    /// sender's hour data) or the station's interval, whichever is longer (a station sampling
    /// every 4 h sends one hour value every 4 h).
    var interval: Int64 { max(kind.interval(at: station), Int64(max(1, station.expectedInterval))) }
}

/// One rule applied to one series.
struct Slot {
    let rule: Int
    let instance: Int
    /// What a reading is judged by, copied out of the rule so the hot path touches no `Rule`.
    var kind: Kind = .averaged
    /// ``Rule/ignoredFlags`` as a mask of ``DataFlag/bit``.
    var ignoredFlags: UInt8 = 0
    /// The limit, resolved for this station (nil for ambient limits, resolved per bucket).
    let above: Double?
    let below: Double?
    /// Recent valid readings, for stuck-sensor and rate-of-change rules.
    var recent: [StoredSample] = []

    /// The reading rules' conditions, in the form the hot path needs.
    enum Kind {
        case threshold(clearFraction: Double)
        case deviceFlag(mask: UInt8)
        case stuck(readings: Int, tolerance: Double)
        case rateOfChange(maxChange: Double, per: Int64)
        /// Judged on hours, days or station days, not per reading.
        case averaged
    }

    init(rule: Int, instance: Int, above: Double?, below: Double?, of r: Rule? = nil) {
        self.rule = rule
        self.instance = instance
        self.above = above
        self.below = below
        guard let r else { return }
        ignoredFlags = r.ignoredFlags.reduce(0) { $0 | $1.bit }
        switch r.condition {
        case .threshold(let t) where t.basis == .reading: kind = .threshold(clearFraction: t.clearFraction)
        case .deviceFlag(let flags): kind = .deviceFlag(mask: flags.reduce(0) { $0 | $1.bit })
        case .stuck(let n, let tolerance): kind = .stuck(readings: n, tolerance: tolerance)
        case .rateOfChange(let m, let per): kind = .rateOfChange(maxChange: m, per: per)
        default: kind = .averaged
        }
    }
}

struct HourAccumulator {
    var sum = 0.0
    var valid = 0
    var count = 0
}

struct DayAccumulator {
    var validReadings = 0
    var sumOfHourMeans = 0.0
    var validHours = 0
    var hours = 0
}

/// Per station: when it was last heard from, and its no-data rules.
struct StationState {
    var lastSeen: Int64?
    var lastFlag: DataFlag = .normal
    var deadman: [(rule: Int, instance: Int)]
    /// Station-wide rules judged per day (water class, AQI).
    var daySlots: [Slot] = []
    /// Valid O2 hourly means by the hour's first instant, for corrections (two days kept).
    var oxygen: [Int64: Double] = [:]
    /// Hourly means waiting for the same hour's O2 before they are compared.
    var awaitingOxygen: [(slot: Slot, route: Int, hour: Int64, mean: Double)] = []
    /// The reduction-target rules the station's load counts toward.
    var targets: [Int] = []
    /// The means of days not yet judged by them, by the day's first instant.
    var days: [Int64: DayBoard] = [:]
    /// Its clock rules, with the faults each still counts.
    var clock: [ClockSlot] = []

    init(deadman: [(rule: Int, instance: Int)]) { self.deadman = deadman }
}

/// A clock rule applied to one station: the arrival times of the clock faults within its window.
struct ClockSlot {
    let rule: Int
    let instance: Int
    /// Oldest first; at most the rule's `faults` of them.
    var faults: [Int64] = []
}

/// A station's day, as its series' means come in.
struct DayBoard {
    /// The day's range.
    var range: Range<Int64>
    /// Valid daily means by parameter.
    var means: [String: Double] = [:]
    /// Valid hourly means by parameter, by hour of the day (for the 8-h O3).
    var hourly: [String: [Double?]] = [:]
}

extension RuleEngine {
    /// The route of a series, matching rules on first use; -1 when no rule applies.
    func route(for series: SeriesKey) -> Int {
        if let r = routeIndex[series] { return r }
        guard let station = stations[series.station], !station.retired else {
            routeIndex[series] = -1
            return -1
        }
        var route = Route(station: station, parameter: series.parameter, kind: series.kind, calendar: calendar(for: station))
        let averageKind: SeriesKind = station.expectedInterval >= 3_600 ? .hour : .realtime
        if series.parameter == "O2", series.kind == averageKind, rules.contains(where: { rule in
            guard case .threshold(let t) = rule.condition, t.oxygenReference != nil else { return false }
            return rule.match.matches(station)
        }) {
            route.feedsOxygen = true
        }
        // The flow a flow-weighted daily mean weighs its hours with feeds the station's days.
        if rules.contains(where: { rule in
            guard case .threshold(let t) = rule.condition, case .flowWeighted(let flow) = t.average, flow == series.parameter else { return false }
            return rule.kind ?? averageKind == series.kind && rule.match.matches(station)
        }) {
            route.feedsStation = true
        }
        for (index, rule) in rules.enumerated() where rule.match.matches(station) && rule.match.matches(parameter: series.parameter) {
            if let kind = rule.kind, kind != series.kind { continue }
            let key = AlertKey(rule: rule.name, station: station.id, parameter: series.parameter)
            switch rule.condition {
            case .noData, .clock, .caseOverdue:
                continue
            case .waterClass:
                if rule.kind ?? averageKind == series.kind, SurfaceWaterStandard.gb3838_2002.parameterID(series.parameter) != nil,
                    series.parameter != "WT"
                {
                    route.feedsStation = true
                }
                continue
            case .airQuality:
                if rule.kind ?? averageKind == series.kind, AQIPollutant(parsing: series.parameter) != nil { route.feedsStation = true }
                continue
            case .reductionTarget(let goal):
                if rule.kind ?? averageKind == series.kind, series.parameter == goal.pollutant || series.parameter == goal.flow {
                    route.feedsStation = true
                }
                continue
            case .threshold(let t):
                guard let (above, below) = limits(t.source, station: station, parameter: series.parameter, basis: t.basis) else { continue }
                if case .flowWeighted(let flow) = t.average, t.basis == .day {
                    // Judged with the station's day (``stationDaySlots(for:)``), once the flow's hours are in too.
                    if rule.kind ?? averageKind == series.kind, station.parameter(flow) != nil { route.feedsStation = true }
                    continue
                }
                let slot = Slot(rule: index, instance: instanceSlot(key), above: above, below: below, of: rule)
                switch t.basis {
                case .reading: route.readingSlots.append(slot)
                case .hour:
                    if rule.kind ?? averageKind == series.kind { route.hourSlots.append(slot) }
                case .day:
                    if rule.kind ?? averageKind == series.kind { route.daySlots.append(slot) }
                }
            case .completeness(let basis, _):
                guard rule.kind ?? averageKind == series.kind else { continue }
                let slot = Slot(rule: index, instance: instanceSlot(key), above: nil, below: nil)
                if basis == .day { route.daySlots.append(slot) } else { route.hourSlots.append(slot) }
            case .rateOfChange, .stuck, .deviceFlag:
                route.readingSlots.append(Slot(rule: index, instance: instanceSlot(key), above: nil, below: nil, of: rule))
            }
        }
        if route.readingSlots.isEmpty && !route.averages {
            routeIndex[series] = -1
            return -1
        }
        routes.append(route)
        routeIndex[series] = routes.count - 1
        return routes.count - 1
    }

    /// The limit a threshold compares with at this station, or nil when there is none (the rule
    /// then does not apply to the series). Ambient limits are looked up per hour or day.
    func limits(_ source: Threshold.Source, station: Station, parameter: String, basis: Threshold.Basis) -> (Double?, Double?)? {
        switch source {
        case .fixed(let above, let below):
            return (above, below)
        case .station:
            guard let p = station.parameter(parameter) else { return nil }
            let wanted: Limit.Basis = basis == .reading ? .reading : basis == .hour ? .hour : .day
            // A rule on readings may use an hourly limit operationally; an averaged rule needs its own basis.
            let limit = p.limits.first { $0.basis == wanted } ?? (basis == .reading ? p.limits.first : nil)
            guard let limit, limit.max != nil || limit.min != nil else { return nil }
            return (limit.max, limit.min)
        case .ambient(let grade):
            let period: AveragingPeriod = basis == .day ? .day : .hour
            guard AmbientAirLimits.gb3095_2012.limit(parameter, period, grade: grade) != nil
                || AmbientAirLimits.gb3095_2026Transitional.limit(parameter, period, grade: grade) != nil
            else { return nil }
            return (nil, nil)
        }
    }

    func deadmanSlots(for station: Station) -> [(rule: Int, instance: Int)] {
        rules.enumerated().compactMap { index, rule in
            guard case .noData = rule.condition, rule.match.matches(station) else { return nil }
            return (index, instanceSlot(AlertKey(rule: rule.name, station: station.id, parameter: "*")))
        }
    }

    /// The reduction-target rules a station's load counts toward.
    func targetRules(for station: Station) -> [Int] {
        rules.indices.filter { i in
            guard case .reductionTarget(let goal) = rules[i].condition, rules[i].match.matches(station) else { return false }
            return station.parameter(goal.pollutant) != nil && station.parameter(goal.flow) != nil
        }
    }

    /// The station-wide rules judged from a day's means (water class, AQI), and the flow-weighted
    /// daily means of its parameters (one slot per parameter with a limit).
    func stationDaySlots(for station: Station) -> [Slot] {
        var weighted: [Slot] = []
        for (index, rule) in rules.enumerated() where rule.match.matches(station) {
            guard case .threshold(let t) = rule.condition, case .flowWeighted(let flow) = t.average, t.basis == .day,
                station.parameter(flow) != nil
            else { continue }
            for p in station.parameters where p.parameter.id != flow && rule.match.matches(parameter: p.parameter.id) {
                guard let (above, below) = limits(t.source, station: station, parameter: p.parameter.id, basis: .day) else { continue }
                let key = AlertKey(rule: rule.name, station: station.id, parameter: p.parameter.id)
                weighted.append(Slot(rule: index, instance: instanceSlot(key), above: above, below: below))
            }
        }
        return weighted + rules.enumerated().compactMap { index, rule in
            guard rule.match.matches(station) else { return nil }
            switch rule.condition {
            case .waterClass(let target, _):
                // Without a target, in the rule or the station's `target_class` label, there is nothing to judge.
                guard target ?? station.labels["target_class"].flatMap(WaterQualityClass.init(parsing:)) != nil else { return nil }
            case .airQuality: break
            default: return nil
            }
            return Slot(rule: index, instance: instanceSlot(AlertKey(rule: rule.name, station: station.id, parameter: "*")), above: nil, below: nil)
        }
    }
}

extension RuleEngine {
    /// The series whose hourly or daily means some rule judges: after a restart their open
    /// hours and days are rebuilt from the store with ``replay(_:now:)``.
    public func averagedSeries() -> [SeriesKey] {
        var out: [SeriesKey] = []
        for station in stations.stations where !station.retired {
            for p in station.parameters {
                for kind in [SeriesKind.realtime, .minute, .hour] {
                    let key = SeriesKey(station: station.id, parameter: p.parameter.id, kind: kind)
                    let r = route(for: key)
                    if r >= 0 && routes[r].averages { out.append(key) }
                }
            }
        }
        return out
    }

    /// The series with stuck-sensor or rate-of-change rules, and how far back their recent
    /// readings reach (twice the readings the rules look at, at the station's interval): after a
    /// restart ``replayRecent(_:)`` gives those rules their memory back.
    public func seriesWithRecentReadings() -> [(series: SeriesKey, lookback: Int64)] {
        var out: [(SeriesKey, Int64)] = []
        for station in stations.stations where !station.retired {
            for p in station.parameters {
                for kind in [SeriesKind.realtime, .minute, .hour] {
                    let key = SeriesKey(station: station.id, parameter: p.parameter.id, kind: kind)
                    let r = route(for: key)
                    guard r >= 0 else { continue }
                    let needed = routes[r].readingSlots.map { slot -> Int in
                        switch slot.kind {
                        case .stuck(let n, _): n
                        case .rateOfChange: 1
                        default: 0
                        }
                    }.max() ?? 0
                    if needed > 0 { out.append((key, Int64(2 * needed + 1) * kind.interval(at: station))) }
                }
            }
        }
        return out
    }

    /// Refills the recent-readings memory of stuck-sensor and rate-of-change rules from stored
    /// readings (oldest first), without judging them again.
    public func replayRecent(_ samples: some Collection<Sample>) {
        for sample in samples {
            let r = route(for: sample.series)
            guard r >= 0 else { continue }
            let bit = sample.flag.bit
            for s in routes[r].readingSlots.indices where routes[r].readingSlots[s].ignoredFlags & bit == 0 {
                let stored = StoredSample(time: sample.time, value: sample.value, flag: sample.flag)
                switch routes[r].readingSlots[s].kind {
                case .stuck(let n, _):
                    routes[r].readingSlots[s].recent.append(stored)
                    let count = routes[r].readingSlots[s].recent.count
                    if count > n { routes[r].readingSlots[s].recent.removeFirst(count - n) }
                case .rateOfChange:
                    routes[r].readingSlots[s].recent = [stored]
                default: break
                }
            }
        }
    }

    /// The first instant of the local day before the one holding `now` at the station: how far
    /// back a replay must reach to rebuild an open day and a day still in its grace window.
    public func replayStart(for series: SeriesKey, now: Int64) -> Int64 {
        guard let station = stations[series.station] else { return now }
        let today = calendar(for: station).day(containing: now - grace)
        return today.lowerBound - 3_600
    }
}

