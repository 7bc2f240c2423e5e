public import ArgumentParser
import Foundation
import Monitoring
import Reports

/// `envmon aqi`: the air quality index of a set of concentrations.
struct AQICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aqi",
        abstract: "Compute each IAQI, the AQI, the primary pollutant and the category.",
        discussion: """
            Give each concentration as POLLUTANT:PERIOD=VALUE, e.g. PM2.5:24h=80 SO2:1h=300 O3:8h=120. \
            Pollutants: PM2.5, PM10, SO2, NO2, CO, O3; periods: 1h, 8h, 24h. The period may be left out \
            where the standard indexes the pollutant over one period only (EPA: PM2.5=35.9).

            Units are the standard's own: µg/m³ (CO mg/m³) for HJ 633; µg/m³ for PM, ppm for O3 and CO, \
            and ppb for SO2 and NO2 for the EPA.

            HJ 633-2026 rounds each concentration (GB/T 8170, integers; CO 0.1) and rounds the IAQI up; \
            HJ 633-2012 rounds the IAQI up; the EPA truncates concentrations and rounds the index to the \
            nearest integer. An IAQI is null when the standard does not index that value and the other \
            period must be used (HJ 633-2012: SO2 1h above 800, O3 8h above 800).

            EPA SO2: the daily maximum 1-h value is indexed below 305 ppb (a 24-h average beside it is \
            not used); at or above 305 ppb the 24-h average is indexed instead (200 when it is below 305 \
            ppb), so a 1-h value at or above 305 ppb needs SO2:24h as well.
            """)

    @Option(help: "hj633-2026, hj633-2012 or epa-2024 (default hj633-2026, or the HJ 633 edition of --date).")
    var standard: AQIStandard?

    @Option(help: "Pick the HJ 633 edition in force on this date (Asia/Shanghai), e.g. 2026-02-28.")
    var date: String?

    @Option(help: "text or json.") var format: StandardsFormat = .text

    @Argument(help: "Concentrations, POLLUTANT:PERIOD=VALUE.") var values: [String] = []

    func validate() throws {
        if standard != nil && date != nil { throw ValidationError("give --standard or --date, not both") }
        if values.isEmpty { throw ValidationError("give at least one concentration, e.g. PM2.5:24h=80") }
    }

    func run() throws {
        let chosen = try resolveStandard()
        let concentrations = try values.map { try parse($0, chosen) }
        let result: AQIResult
        do {
            result = try AirQualityIndex.evaluate(concentrations, standard: chosen)
        } catch {
            throw CLIError(error.description)
        }
        print(format == .json ? json(result) : text(result), terminator: "")
    }

    private func resolveStandard() throws -> AQIStandard {
        if let standard { return standard }
        guard let date else { return .hj633_2026 }
        guard let shanghai = TimeZone(identifier: "Asia/Shanghai") else { throw CLIError("the Asia/Shanghai time zone is missing") }
        do {
            return AQIStandard.china(at: try ISO8601Time.parse(date, in: ZoneCalendar(shanghai)))
        } catch {
            throw CLIError("--date: \(error)")
        }
    }

    /// `PM2.5:24h=80` (or `PM2.5=80` when the standard has one period for the pollutant).
    private func parse(_ item: String, _ standard: AQIStandard) throws -> AQIConcentration {
        let sides = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        guard sides.count == 2 else { throw CLIError("'\(item)': expected POLLUTANT:PERIOD=VALUE, e.g. PM2.5:24h=80") }
        let name = sides[0].split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard let pollutant = AQIPollutant(parsing: name[0]) else {
            throw CLIError("'\(item)': unknown pollutant '\(name[0])' (PM2.5, PM10, SO2, NO2, CO, O3)")
        }
        var periods = AirQualityIndex.tables(standard).filter { $0.pollutant == pollutant }.map(\.period)
        if AirQualityIndex.table(pollutant, .hour, in: standard) != nil, !periods.contains(.hour) { periods.append(.hour) }
        let period: AveragingPeriod
        if name.count == 2 {
            guard let p = AveragingPeriod(parsing: name[1]) else { throw CLIError("'\(item)': unknown period '\(name[1])' (1h, 8h, 24h)") }
            period = p
        } else if periods.count == 1 {
            period = periods[0]
        } else {
            throw CLIError("'\(item)': give the averaging period, e.g. \(pollutant.rawValue):\(periods.first?.rawValue ?? "24h")=\(sides[1])")
        }
        guard let value = Decimal(plainNumeral: sides[1]) else {
            throw CLIError("'\(item)': '\(sides[1])' is not a non-negative decimal number")
        }
        return AQIConcentration(pollutant, period, value)
    }

    private func json(_ r: AQIResult) -> String {
        let iaqi = r.iaqis.map { ($0.key, $0.value.map { JSONText.number(String($0)) } ?? .null) }
        let object = JSONText.object([
            ("standard", .string(r.standard.rawValue)),
            ("aqi", r.aqi.map { .number(String($0)) } ?? .null),
            ("primary", .array(r.primaryPollutants.map { .string($0.rawValue) })),
            ("category", r.category.map { .string($0.name(in: r.standard)) } ?? .null),
            ("iaqi", .object(iaqi)),
        ])
        return object.rendered + "\n"
    }

    private func text(_ r: AQIResult) -> String {
        var lines = [r.standard.documentName]
        let width = max(10, (r.iaqis.map(\.key.count).max() ?? 0) + 2)
        for i in r.iaqis {
            let unit = AirQualityIndex.table(i.pollutant, i.period, in: r.standard)?.unit ?? ""
            var shown = "\(i.concentration) \(unit)"
            if i.indexedConcentration != i.concentration { shown += " (→ \(i.indexedConcentration))" }
            var line = "  " + i.key.padding(width) + shown.padding(22) + "IAQI " + (i.value.map(String.init) ?? "—")
            if let note = i.note { line += "  (\(note))" }
            lines.append(line)
        }
        guard let aqi = r.aqi, let category = r.category else {
            lines.append("AQI: none (no value could be indexed)")
            return lines.joined(separator: "\n") + "\n"
        }
        let colour = category.colour(in: r.standard).name
        if r.standard.isChinese {
            let english = category.englishName(in: r.standard)
            lines.append("AQI \(aqi) · \(category.chineseLevel) \(category.name(in: r.standard)) (level \(category.level), \(english), \(colour))")
            let primary = r.primaryPollutants.map(\.rawValue).joined(separator: ", ")
            lines.append("Primary pollutant: " + (primary.isEmpty ? "none (AQI ≤ 50)" : primary))
            if let over = r.nonAttainmentPollutants, !over.isEmpty {
                lines.append("Non-attainment pollutants (IAQI > 100): " + over.map(\.rawValue).joined(separator: ", "))
            }
        } else {
            lines.append("AQI \(aqi) · \(category.name(in: r.standard)) (\(colour))")
            lines.append("Main pollutant: " + r.primaryPollutants.map(\.rawValue).joined(separator: ", "))
        }
        for p in r.unindexedPollutants {
            lines.append("Note: \(p.rawValue) is not in the AQI: none of its values is indexed; give the other averaging period.")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension AQIStandard: ExpressibleByArgument {}

/// The output formats of the standards commands.
enum StandardsFormat: String, ExpressibleByArgument, CaseIterable { case text, json }

extension String {
    /// The string padded with spaces to `width` characters (one space at least).
    func padding(_ width: Int) -> String { count >= width ? self + " " : self + String(repeating: " ", count: width - count) }
}
