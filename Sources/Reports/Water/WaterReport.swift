public import Monitoring
public import Store

/// The section month report: each river or lake section's class per month by 《地表水环境质量评价办法
/// （试行）》, its target class and whether it was met, the items above the target with their multiples,
/// the compliance rate of the sections, and upstream against downstream on a river.
///
/// Labels read from sensors/: `target_class` (`III`), `water_body` (`river`, default, or `lake` /
/// `reservoir`), and for the comparison `river_position` (`upstream` or `downstream`) on two sections that
/// share a `river` label (or, without one, a `basin` label).
public struct WaterReport: Sendable {
    /// One section and its months.
    public struct Section: Sendable {
        public let station: Station
        public let waterBody: WaterBodyType
        /// The class it must meet, from its `target_class` label.
        public let target: WaterQualityClass?
        public let months: [SectionMonth]

        /// Months with a class and a target, and of those the months at or better than the target.
        public var assessedMonths: Int { target == nil ? 0 : months.filter { $0.sectionClass != nil }.count }
        public var monthsMeetingTarget: Int { months.filter { $0.assessment?.meetsTarget == true }.count }
    }

    /// Two sections of one river, upstream and downstream.
    public struct RiverPair: Sendable {
        /// The river (its `river` label, else its `basin` label).
        public let river: String
        public let upstream: Section
        public let downstream: Section
    }

    public let request: WaterReportRequest
    public let sections: [Section]
    public let pairs: [RiverPair]

    /// Section-months assessed against a target, and of those the months that met it.
    public var assessedMonths: Int { sections.reduce(0) { $0 + $1.assessedMonths } }
    public var monthsMeetingTarget: Int { sections.reduce(0) { $0 + $1.monthsMeetingTarget } }
    /// 断面达标率 over the period: section-months meeting their target / section-months assessed.
    public var complianceRate: Double? { assessedMonths > 0 ? Double(monthsMeetingTarget) / Double(assessedMonths) : nil }

    /// Checks the request and the sections' labels, then reads each section's hourly aggregates from the
    /// store `open` returns and evaluates its months.
    ///
    /// - Throws: ``ReportsError`` naming the option, station or label at fault.
    public static func make(_ request: WaterReportRequest, stations: StationRegistry, open: () throws -> any MonitoringStore) async throws -> WaterReport {
        let plans = try plan(request, stations)
        let store = try open()
        defer { try? store.close() }
        return try await evaluate(request, plans, store)
    }

    /// The same over a store already open (the scorecard's), left open.
    public static func make(_ request: WaterReportRequest, stations: StationRegistry, store: any MonitoringStore) async throws -> WaterReport {
        try await evaluate(request, try plan(request, stations), store)
    }

    /// The chosen sections with their water body and target, or an error naming what is wrong.
    private static func plan(_ request: WaterReportRequest, _ stations: StationRegistry) throws -> [(Station, WaterBodyType, WaterQualityClass?)] {
        try request.select(from: stations).map { st in
            let (body, target) = try waterBodyAndTarget(st)
            return (st, body, target)
        }
    }

    /// A section's water body and target class, from its labels `water_body` and `target_class`.
    static func waterBodyAndTarget(_ st: Station) throws(ReportsError) -> (WaterBodyType, WaterQualityClass?) {
        var target: WaterQualityClass?
        if let text = st.labels["target_class"] {
            guard let parsed = WaterQualityClass(parsing: text), parsed != .worseThanV else {
                throw ReportsError("\(st.id): label target_class '\(text)' is not a class (I, II, III, IV or V)")
            }
            target = parsed
        }
        switch st.labels["water_body"]?.lowercased() {
        case nil, "river": return (.river, target)
        case "lake", "reservoir": return (.lake, target)
        case let other?: throw ReportsError("\(st.id): label water_body '\(other)' is not river, lake or reservoir")
        }
    }

    /// One parameter of a section as GB 3838 evaluates it: the series read, its step, and the
    /// factor from the stored unit to the standard's.
    struct ItemSource {
        let parameter: String
        let key: SeriesKey
        let step: Int64
        let factor: Double

        /// The item of a period from its buckets: the mean of the valid readings, each bucket's mean
        /// weighted by its valid readings; `nil` without any.
        func item(_ rows: [AggregateRow]) -> SectionMonth.Item? {
            var sum = 0.0
            var n = 0
            for row in rows {
                guard let v = row.value, row.validCount > 0 else { continue }
                sum += v * Double(row.validCount)
                n += row.validCount
            }
            guard n > 0 else { return nil }
            return SectionMonth.Item(parameter: parameter, mean: AirDailyValues.kept(sum / Double(n) * factor), readings: n)
        }
    }

    /// The parameters of `st` that GB 3838 classes, each with the series it is read from
    /// (`stored` tells which are in the store).
    static func itemSources(_ st: Station, _ body: WaterBodyType, stored: Set<SeriesKey>) throws(ReportsError) -> [ItemSource] {
        let gb3838 = SurfaceWaterStandard.gb3838_2002
        var out: [ItemSource] = []
        for sp in st.parameters {
            // Water temperature has no class limit; parameters GB 3838 lacks are not evaluated.
            guard let id = gb3838.parameterID(sp.parameter.id), let limit = gb3838.limit(id, waterBody: body) ?? gb3838.limits.first(where: { $0.parameter == id }),
                let kind = [SeriesKind.hour, .minute, .realtime, .day].first(where: {
                    stored.contains(SeriesKey(station: st.id, parameter: sp.parameter.id, kind: $0))
                })
            else { continue }
            var factor = 1.0
            if !limit.unit.isEmpty, limit.unit != "个/L" {
                guard let unit = MeasurementUnit(parsing: limit.unit), let f = sp.unit.factor(to: unit) else {
                    throw ReportsError("\(st.id)/\(sp.parameter.id) is stored in \(sp.unit.symbol), which cannot be compared with GB 3838 limits in \(limit.unit)")
                }
                factor = f
            }
            let key = SeriesKey(station: st.id, parameter: sp.parameter.id, kind: kind)
            out.append(ItemSource(parameter: id, key: key, step: kind == .day ? 86_400 : 3_600, factor: factor))
        }
        return out
    }

    private static func evaluate(
        _ request: WaterReportRequest, _ plans: [(Station, WaterBodyType, WaterQualityClass?)], _ store: any MonitoringStore
    ) async throws -> WaterReport {
        var sections: [Section] = []
        for (st, body, target) in plans {
            sections.append(Section(station: st, waterBody: body, target: target, months: try await months(st, body, target, request.period, store)))
        }
        return WaterReport(request: request, sections: sections, pairs: pairs(sections))
    }

    private static func months(
        _ st: Station, _ body: WaterBodyType, _ target: WaterQualityClass?, _ period: ReportPeriod, _ store: any MonitoringStore
    ) async throws -> [SectionMonth] {
        let calendar = ZoneCalendar(st.timeZone)
        let stored = Set(try await store.storedSeries(ofStation: st.id).map(\.key))
        let sources = try itemSources(st, body, stored: stored)
        var out: [SectionMonth] = []
        for m in period.months {
            let days = LocalDates.days(from: m.first, through: m.last, calendar)
            guard let lower = days.first?.lowerBound, let upper = days.last?.upperBound else { continue }
            var items: [SectionMonth.Item] = []
            for source in sources {
                let rows = try await store.aggregate(AggregateQuery(series: source.key, range: lower..<upper, step: source.step, function: .avg))
                if let item = source.item(rows) { items.append(item) }
            }
            let label = "\(m.year)-" + (m.month < 10 ? "0\(m.month)" : "\(m.month)")
            out.append(try SectionMonth(month: label, first: m.first, last: m.last, items: items, waterBody: body, target: target))
        }
        return out
    }

    /// Sections labelled `river_position: upstream` and `downstream` on one river, paired.
    private static func pairs(_ sections: [Section]) -> [RiverPair] {
        func river(_ s: Section) -> String? { s.station.labels["river"] ?? s.station.labels["basin"] }
        var out: [RiverPair] = []
        for down in sections where down.station.labels["river_position"] == "downstream" {
            guard let name = river(down) else { continue }
            for up in sections where up.station.labels["river_position"] == "upstream" && river(up) == name {
                out.append(RiverPair(river: name, upstream: up, downstream: down))
            }
        }
        return out
    }
}
