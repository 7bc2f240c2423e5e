import Foundation
import Monitoring
import Store

extension RuleEngine {
    /// Station-wide rules on days whose series have all been judged: the river section's class,
    /// the daily AQI.
    func judgeStationDays(now: Int64, into out: inout [AlertTransition]) {
        defer { judgeTargets(into: &out) }
        for id in stationStates.keys.sorted() {
            guard let state = stationStates[id], !state.days.isEmpty, let station = stations[id] else { continue }
            for day in state.days.keys.sorted() {
                guard let board = stationStates[id]?.days[day], board.range.upperBound + grace <= now else { continue }
                stationStates[id]?.days[day] = nil
                for rule in state.targets { addLoad(board, station: station, rule: rule) }
                for slot in state.daySlots {
                    let observation: Observation
                    switch rules[slot.rule].condition {
                    case .waterClass(let target, let body):
                        guard let target = target ?? station.labels["target_class"].flatMap(WaterQualityClass.init(parsing:)) else { continue }
                        observation = Self.waterClass(board, target: target, body: body)
                    case .airQuality(let standard, let level):
                        observation = Self.airQuality(board, standard: standard ?? AQIStandard.china(at: board.range.lowerBound), level: level)
                    case .threshold(let t):
                        guard case .flowWeighted(let flow) = t.average else { continue }
                        let parameter = instances[slot.instance].key.parameter
                        let hoursWithData = Int(min(24, max(1, 86_400 / max(3_600, Int64(station.expectedInterval)))))
                        let needed = Int((Double(t.minimumHours) * Double(hoursWithData) / 24).rounded(.up))
                        guard let mean = Self.flowWeightedMean(board, parameter: parameter, flow: flow, minimumHours: max(1, needed)) else {
                            observation = Observation(.neutral, start: board.range.lowerBound, end: board.range.upperBound)
                            break
                        }
                        observation = Self.compare(
                            mean, above: slot.above, below: slot.below, clearFraction: t.clearFraction, start: board.range.lowerBound,
                            end: board.range.upperBound, parameter: parameter, what: "flow-weighted daily mean")
                    default:
                        continue
                    }
                    apply(observation, slot: slot, into: &out)
                }
            }
        }
    }

    /// Σ Cₕ·Qₕ / Σ Qₕ over the day's hours with both a valid mean concentration and a valid mean
    /// flow (HJ 356-2019 §7 [M]); nil with fewer such hours than `minimumHours`, or no flow at all.
    static func flowWeightedMean(_ board: DayBoard, parameter: String, flow: String, minimumHours: Int) -> Double? {
        guard let c = board.hourly[parameter], let q = board.hourly[flow] else { return nil }
        var samples: [(concentration: Double, volume: Double)] = []
        for h in 0..<min(c.count, q.count) {
            if let cv = c[h], let qv = q[h], qv >= 0 { samples.append((cv, qv)) }
        }
        guard samples.count >= minimumHours else { return nil }
        // Every hour is one hour long, so the hourly mean flow stands for the volume in any unit.
        return EmissionLoad.flowWeightedMean(samples)
    }

    /// The section class of a day's valid means against the target. The value is the class
    /// number (1 = I … 6 = worse than V).
    static func waterClass(_ board: DayBoard, target: WaterQualityClass, body: WaterBodyType) -> Observation {
        let standard = SurfaceWaterStandard.gb3838_2002
        let values = board.means.compactMap { p, v -> (parameter: String, value: Decimal)? in
            guard p != "WT", standard.parameterID(p) != nil, v >= 0 else { return nil }
            return (p, Decimal(shortestOf: v))
        }.sorted { $0.parameter < $1.parameter }
        let range = board.range
        guard !values.isEmpty, let assessment = try? standard.assess(values, waterBody: body, target: target),
            let section = assessment.sectionClass
        else {
            return Observation(.neutral, start: range.lowerBound, end: range.upperBound)
        }
        if assessment.exceedances.isEmpty {
            return Observation(
                .clear, start: range.lowerBound, end: range.upperBound, value: Double(section.rawValue),
                detail: "section class \(section.name) meets target \(target.name)")
        }
        let worst = assessment.exceedances.map { e in "\(e.parameter) \(e.value) (class \(e.waterClass.name))" }.joined(separator: ", ")
        return Observation(
            .breach, start: range.lowerBound, end: range.upperBound, value: Double(section.rawValue),
            detail: "section class \(section.name), worse than target \(target.name): \(worst)")
    }

    /// The daily AQI of a day's valid means. The value is the AQI.
    static func airQuality(_ board: DayBoard, standard: AQIStandard, level: Int) -> Observation {
        var concentrations: [AQIConcentration] = []
        for pollutant in [AQIPollutant.pm25, .pm10, .so2, .no2, .co] {
            if let v = board.means[pollutant.rawValue] { concentrations.append(AQIConcentration(pollutant, .day, reading: v)) }
        }
        if let hourly = board.hourly["O3"] {
            if let mda8 = AmbientValidity.dailyMaximumEightHour(hourly) {
                concentrations.append(AQIConcentration(.o3, .eightHours, reading: mda8))
            }
            // HJ 633-2012's daily report also indexes the day's largest 1-h O3 (dropped in 2026).
            if standard == .hj633_2012, let max1h = hourly.compactMap({ $0 }).max() {
                concentrations.append(AQIConcentration(.o3, .hour, reading: max1h))
            }
        }
        let range = board.range
        guard !concentrations.isEmpty, let result = try? AirQualityIndex.evaluate(concentrations, standard: standard), let aqi = result.aqi,
            let category = result.category
        else {
            return Observation(.neutral, start: range.lowerBound, end: range.upperBound)
        }
        let primary = result.primaryPollutants.map(\.rawValue).joined(separator: ", ")
        let text = "daily AQI \(aqi) (level \(category.level)\(primary.isEmpty ? "" : ", primary \(primary)"), \(standard.documentName))"
        return Observation(category.level >= level ? .breach : .clear, start: range.lowerBound, end: range.upperBound, value: Double(aqi), detail: text)
    }
}
