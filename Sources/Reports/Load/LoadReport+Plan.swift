import Foundation
public import Monitoring

extension LoadReport {
    /// A checked request: its stations, pollutants, dates and allowances, before any store is read.
    struct Plan {
        let request: LoadRequest
        let pollutants: [String]
        let selected: [Station]
        let from: CivilTime
        let to: CivilTime
        let periodStart: Int64
        let partialDay: Bool
        let end: Int64
        let yearStart: Int64
        let readStart: Int64
        let now: Int64
        let zone: TimeZone
        let midnightOfTo: Int64
        let progressOf: [YearlyAllowance]

        /// The zone whose days the report counts: its first station's.
        static func zone(of selected: [Station]) -> TimeZone {
            selected.first?.timeZone ?? TimeZone(identifier: "Asia/Shanghai") ?? .gmt
        }

        /// The zone whose days a report of `request` would count (see ``zone(of:)``).
        static func zone(of request: LoadRequest, stations registry: StationRegistry) throws -> TimeZone {
            zone(of: try selectStations(request.stations, registry, pollutants: try resolvePollutants(request.pollutants)))
        }

        init(_ request: LoadRequest, stations registry: StationRegistry, allowances: AllowanceBook, now: Int64) throws {
            let pollutants = try resolvePollutants(request.pollutants)
            let selected = try selectStations(request.stations, registry, pollutants: pollutants)
            let zone = Self.zone(of: selected)
            let calendar = ZoneCalendar(zone)
            let today = calendar.civil(at: now).date
            let to = request.to ?? CivilTime(secondsIfUTC: today.secondsIfUTC - 86_400)
            if to > today { throw ReportsError("--to \(to.isoDate) is after today (\(today.isoDate) in \(zone.identifier))") }
            let from = request.from ?? CivilTime(year: to.year, month: 1, day: 1)
            if to < from { throw ReportsError("--to \(to.isoDate) is before --from \(from.isoDate)") }

            let midnight = { (d: CivilTime) in calendar.firstInstant(ofLocal: d.secondsIfUTC) }
            let periodStart = midnight(from)
            let partialDay = to == today
            let end = partialDay ? now : midnight(CivilTime(secondsIfUTC: to.secondsIfUTC + 86_400))
            let yearStart = midnight(CivilTime(year: to.year, month: 1, day: 1))
            // Long gaps look back 2,160 valid hours (90 days); a little more covers a gap in the lookback.
            let readStart = min(periodStart, yearStart) - 100 * 86_400

            let progressOf = allowances.allowances.filter { a in
                pollutants.contains(a.pollutant) && (request.stations.isEmpty || selected.contains { a.scope.contains($0) })
            }
            self.request = request
            self.pollutants = pollutants
            self.selected = selected
            self.from = from
            self.to = to
            self.periodStart = periodStart
            self.partialDay = partialDay
            self.end = end
            self.yearStart = yearStart
            self.readStart = readStart
            self.now = now
            self.zone = zone
            self.midnightOfTo = midnight(to)
            self.progressOf = progressOf
        }
    }
}
