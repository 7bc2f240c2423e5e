import Foundation
public import Monitoring
public import Store

extension LoadReport {
    /// Checks the request, then reads the hourly rollups it needs from the store `open` returns
    /// (called only once the stations, pollutants and dates are known to fit, so those errors come
    /// first) and computes the loads and each allowance's progress.
    ///
    /// - Parameters:
    ///   - allowances: The yearly allowances (targets/allowances.yaml), the same the target rules read.
    ///   - now: The present instant (injected: reports never read the wall clock). Today, the
    ///     default end of the period (yesterday) and a day still in progress follow from it.
    public static func make(
        _ request: LoadRequest, stations registry: StationRegistry, allowances: AllowanceBook, now: Int64, open: () throws -> any MonitoringStore
    ) async throws -> LoadReport {
        let plan = try Plan(request, stations: registry, allowances: allowances, now: now)
        let store = try open()
        defer { try? store.close() }
        return try await compute(plan, registry: registry, store: store)
    }

    /// The same on a store the caller keeps open (the scorecard measures several indicators on one).
    public static func make(
        _ request: LoadRequest, stations registry: StationRegistry, allowances: AllowanceBook, now: Int64, store: any MonitoringStore
    ) async throws -> LoadReport {
        try await compute(Plan(request, stations: registry, allowances: allowances, now: now), registry: registry, store: store)
    }

    /// Reads the hourly rollups the plan needs and computes the loads and the allowances' progress.
    static func compute(_ plan: Plan, registry: StationRegistry, store: any MonitoringStore) async throws -> LoadReport {
        let (pollutants, selected, progressOf, request) = (plan.pollutants, plan.selected, plan.progressOf, plan.request)
        let (readStart, end, yearStart, periodStart) = (plan.readStart, plan.end, plan.yearStart, plan.periodStart)
        var needed: [String: Set<String>] = [:]  // station → pollutants
        for s in selected { needed[s.id, default: []].formUnion(pollutants.filter { reportsLoad(s, $0) }) }
        for a in progressOf {
            for s in registry.stations where a.scope.contains(s) && reportsLoad(s, a.pollutant, flow: a.flow) {
                needed[s.id, default: []].insert(a.pollutant)
            }
        }

        var hourly: [String: [String: StationHourlyLoad]] = [:]
        for (id, wanted) in needed.sorted(by: { $0.key < $1.key }) {
            guard let station = registry[id] else { continue }
            let stationCalendar = ZoneCalendar(station.timeZone)
            let quarterOf = { (t: Int64) -> Int in
                let c = stationCalendar.civil(at: t)
                return c.year * 4 + (c.month - 1) / 3
            }
            let present = try await store.storedSeries(ofStation: id).map(\.key)
            for pollutant in wanted.sorted() {
                let flowID = progressOf.first { $0.pollutant == pollutant && $0.scope.contains(station) }?.flow
                    ?? YearlyAllowance.defaultFlow(for: pollutant)
                guard let cp = station.parameter(pollutant), let qp = station.parameter(flowID) else { continue }
                let kind = SeriesKind.hourlySource { present.contains(SeriesKey(station: id, parameter: pollutant, kind: $0)) } ?? .hour
                let c = try await store.aggregate(
                    AggregateQuery(series: SeriesKey(station: id, parameter: pollutant, kind: kind), range: readStart..<end, step: 3_600, function: .avg))
                let q = try await store.aggregate(
                    AggregateQuery(series: SeriesKey(station: id, parameter: flowID, kind: kind), range: readStart..<end, step: 3_600, function: .avg))
                hourly[id, default: [:]][pollutant] = StationHourlyLoad(
                    concentration: c, concentrationUnit: cp.unit, flow: q, flowUnit: qp.unit, start: readStart, end: end, quarterOf: quarterOf)
            }
        }

        let period = periodStart..<end
        var rows: [Row] = []
        for (group, members) in groups(selected, request.grouping) {
            for pollutant in pollutants {
                let loads = members.compactMap { hourly[$0.id]?[pollutant] }
                guard !loads.isEmpty else { continue }
                var tally = LoadTally()
                for l in loads { tally.add(l.tally(period)) }
                rows.append(Row(group: group, stations: members, pollutant: pollutant, tally: tally))
            }
        }
        let flows = selected.compactMap { s -> Flow? in
            guard let any = pollutants.lazy.compactMap({ hourly[s.id]?[$0] }).first else { return nil }
            return Flow(station: s, cubicMetresPerHour: any.meanFlow(period))
        }
        let (to, from) = (plan.to, plan.from)
        let elapsed = elapsedFraction(to: to, partial: plan.partialDay, now: plan.now, dayStart: plan.midnightOfTo)
        let progress = progressOf.map { a -> Progress in
            let members = registry.stations.filter { a.scope.contains($0) && hourly[$0.id]?[a.pollutant] != nil }
            var tally = LoadTally()
            for s in members { tally.add(hourly[s.id]![a.pollutant]!.tally(yearStart..<end)) }
            return Progress(allowance: a, stations: members, year: to.year, annual: a.kilograms(in: to.year), elapsedFraction: elapsed, tally: tally)
        }
        return LoadReport(
            from: from, to: to, end: end, partialDay: plan.partialDay, timeZone: plan.zone.identifier, grouping: request.grouping, rows: rows,
            flows: flows, progress: progress)
    }

    /// Day of year / days in the year at the end of `to`; for today, the part of it elapsed by `now`.
    static func elapsedFraction(to: CivilTime, partial: Bool, now: Int64, dayStart: Int64) -> Double {
        let whole = LoadAllowance.elapsedFraction(throughEndOf: to)
        guard partial else { return whole }
        let daysInYear = Double(CivilTime.daysIn(month: 2, year: to.year) == 29 ? 366 : 365)
        return whole - (1 - Double(min(86_400, max(0, now - dayStart))) / 86_400) / daysInYear
    }

    /// Whether a station reports a pollutant and the flow its load is computed with.
    static func reportsLoad(_ s: Station, _ pollutant: String, flow: String? = nil) -> Bool {
        s.parameter(pollutant) != nil && s.parameter(flow ?? YearlyAllowance.defaultFlow(for: pollutant)) != nil
    }

    static func resolvePollutants(_ names: [String]) throws(ReportsError) -> [String] {
        if names.isEmpty { return pollutants }
        var out: [String] = []
        for name in names {
            guard let p = ParameterCatalogue.standard.named(name), pollutants.contains(p.id) else {
                throw ReportsError("--pollutant '\(name)' is not a load pollutant (\(pollutants.joined(separator: ", ")))")
            }
            if !out.contains(p.id) { out.append(p.id) }
        }
        return pollutants.filter(out.contains)
    }

    static func selectStations(_ ids: [String], _ registry: StationRegistry, pollutants: [String]) throws(ReportsError) -> [Station] {
        let sources = registry.stations.filter { !$0.retired && ($0.kind == .dischargeOutlet || $0.kind == .stack) }
        if ids.isEmpty { return sources.filter { s in pollutants.contains { reportsLoad(s, $0) } } }
        var out: [Station] = []
        for id in ids {
            guard let s = registry[id] else {
                throw ReportsError("--station '\(id)': unknown station (outlets and stacks: \(sources.map(\.id).joined(separator: ", ")))")
            }
            guard s.kind == .dischargeOutlet || s.kind == .stack else {
                throw ReportsError("--station '\(id)' is a \(s.kind.rawValue) station: loads are of discharge outlets and stacks")
            }
            guard pollutants.contains(where: { reportsLoad(s, $0) }) else {
                throw ReportsError("--station '\(id)' reports none of \(pollutants.joined(separator: ", ")) with its flow (Q-water, Q-gas)")
            }
            if !out.contains(where: { $0.id == id }) { out.append(s) }
        }
        return out
    }

    /// Stations by group, in order: by id, or by label value (stations without it last, as `(none)`).
    static func groups(_ stations: [Station], _ grouping: LoadGrouping) -> [(String, [Station])] {
        switch grouping {
        case .station:
            return stations.map { ($0.id, [$0]) }
        case .label(let name):
            var order: [String] = []
            var members: [String: [Station]] = [:]
            for s in stations {
                let key = s.labels[name] ?? noLabel
                if members[key] == nil { order.append(key) }
                members[key, default: []].append(s)
            }
            return order.sorted { ($0 == noLabel ? 1 : 0, $0) < ($1 == noLabel ? 1 : 0, $1) }.map { ($0, members[$0]!) }
        }
    }

    /// The group of stations without the label grouped by.
    public static let noLabel = "(none)"
}

extension CivilTime {
    /// The date alone, at midnight.
    var date: CivilTime { CivilTime(year: year, month: month, day: day) }
}
