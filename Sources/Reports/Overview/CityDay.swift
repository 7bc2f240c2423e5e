public import Monitoring
public import Store

/// The city's day so far: the AQI of each ambient site and the class of each river or lake
/// section, each over the hours of its own local day that have ended.
public struct CityDay: Sendable {
    /// One ambient site's day.
    public struct Site: Sendable {
        public var station: Station
        public var aqi: DaySoFarAQI
    }

    /// One section's day: the GB 3838 single-factor class of the mean of today's valid readings.
    public struct Section: Sendable {
        public var station: Station
        /// The local date.
        public var date: CivilTime
        /// The day's items and assessment (class, target, exceedances), as the section month has them.
        public var day: SectionMonth
        /// The class the section must meet (its `target_class` label).
        public var target: WaterQualityClass?
    }

    public var sites: [Site]
    public var sections: [Section]

    /// The hours of the local day of `station` at `now` that have ended.
    static func hours(of station: Station, now: Int64) -> (date: CivilTime, range: Range<Int64>) {
        let calendar = ZoneCalendar(station.timeZone)
        let day = calendar.day(containing: now)
        let ended = (now - day.lowerBound) / 3_600 * 3_600
        return (calendar.civil(at: day.lowerBound), day.lowerBound..<(day.lowerBound + ended))
    }

    /// Reads the day so far of the ambient sites and the surface-water sections among `stations`,
    /// in one read transaction of the store.
    /// - Parameter stored: the series the store holds (which kind each parameter is read from).
    static func make(_ stations: [Station], stored: Set<SeriesKey>, store: any MonitoringStore, now: Int64) async throws -> CityDay {
        struct Plan {
            var station: Station
            var date: CivilTime
            var range: Range<Int64>
            var air: [(AQIPollutant, SeriesKey, Double)] = []
            var water: [WaterReport.ItemSource] = []
            var body: WaterBodyType = .river
            var target: WaterQualityClass?
        }
        var plans: [Plan] = []
        var queries: [AggregateQuery] = []
        for st in stations where st.kind == .ambientAir || st.kind == .surfaceWater {
            let (date, range) = hours(of: st, now: now)
            var plan = Plan(station: st, date: date, range: range)
            if st.kind == .ambientAir {
                for p in AQIPollutant.allCases {
                    guard let (key, factor) = try AirReport.source(of: p, at: st, stored: stored) else { continue }
                    plan.air.append((p, key, factor))
                    queries.append(AggregateQuery(series: key, range: range, step: 3_600, function: .avg))
                }
            } else {
                (plan.body, plan.target) = try WaterReport.waterBodyAndTarget(st)
                // Today's day data (kind day) cannot be read before the day ends: hour rows only.
                plan.water = try WaterReport.itemSources(st, plan.body, stored: stored).filter { $0.step == 3_600 }
                queries += plan.water.map { AggregateQuery(series: $0.key, range: range, step: 3_600, function: .avg) }
            }
            plans.append(plan)
        }
        var answers = try await store.aggregate(queries).makeIterator()
        var day = CityDay(sites: [], sections: [])
        for plan in plans {
            let hours = Int((plan.range.upperBound - plan.range.lowerBound) / 3_600)
            if plan.station.kind == .ambientAir {
                var hourly: [AQIPollutant: [Double?]] = [:]
                for (p, _, factor) in plan.air {
                    var values = [Double?](repeating: nil, count: hours)
                    for row in answers.next() ?? [] {
                        let h = Int((row.start - plan.range.lowerBound) / 3_600)
                        guard h >= 0, h < hours, !row.partial, let v = row.value,
                            AmbientValidity.isValidHour(validReadings: row.validCount, expectedReadings: row.expectedCount)
                        else { continue }
                        values[h] = v * factor
                    }
                    hourly[p] = values
                }
                day.sites.append(Site(station: plan.station, aqi: DaySoFarAQI(date: plan.date, hourly: hourly)))
            } else {
                let items = plan.water.compactMap { source in source.item(answers.next() ?? []) }
                let month = try SectionMonth(
                    month: plan.date.isoDate, first: plan.date, last: plan.date, items: items, waterBody: plan.body, target: plan.target)
                day.sections.append(Section(station: plan.station, date: plan.date, day: month, target: plan.target))
            }
        }
        return day
    }
}
