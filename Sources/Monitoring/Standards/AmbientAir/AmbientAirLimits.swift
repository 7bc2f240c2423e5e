import Foundation

/// The concentration limits of an ambient air quality standard in force on a date: GB 3095-2012, or
/// GB 3095-2026 with its transitional (2026-03-01 to 2030-12-31) or final (from 2031-01-01) limits.
///
/// ```swift
/// let limits = AmbientAirLimits.applicable(on: CivilTime(year: 2026, month: 6, day: 1))
/// limits.limit("PM2.5", .day, grade: .two)?.limit  // 60 (2026 transitional)
/// ```
public struct AmbientAirLimits: Sendable {
    /// The editions and phases.
    public enum Edition: String, Sendable, Hashable, Codable, CaseIterable {
        /// GB 3095-2012 (with its 2018 amendment), until 2026-02-28.
        case gb3095_2012 = "gb3095-2012"
        /// GB 3095-2026 transitional limits, 2026-03-01 to 2030-12-31.
        case gb3095_2026Transitional = "gb3095-2026-transitional"
        /// GB 3095-2026 final limits, from 2031-01-01.
        case gb3095_2026Final = "gb3095-2026-final"

        /// The document's name.
        public var documentName: String { self == .gb3095_2012 ? "GB 3095-2012" : "GB 3095-2026" }
    }

    /// The edition and phase.
    public var edition: Edition
    /// Every limit of the edition.
    public var limits: [AmbientAirLimit]

    /// The limits of an edition.
    public static func edition(_ edition: Edition) -> AmbientAirLimits {
        switch edition {
        case .gb3095_2012: gb3095_2012
        case .gb3095_2026Transitional: gb3095_2026Transitional
        case .gb3095_2026Final: gb3095_2026Final
        }
    }

    /// The edition in force on a civil date in Beijing time (its time of day is ignored).
    public static func applicable(on date: CivilTime) -> AmbientAirLimits {
        if StandardDates.date(date, isOnOrAfter: 2031, 1, 1) { return gb3095_2026Final }
        if StandardDates.date(date, isOnOrAfter: 2026, 3, 1) { return gb3095_2026Transitional }
        return gb3095_2012
    }

    /// The edition in force at an instant (seconds since the epoch, UTC), dates taken in Beijing time.
    public static func applicable(at instant: Int64) -> AmbientAirLimits {
        applicable(on: StandardDates.beijingDate(at: instant))
    }

    /// The limit of a pollutant, period and grade, or `nil` when the edition has none.
    public func limit(_ pollutant: String, _ period: AveragingPeriod, grade: AmbientGrade) -> AmbientAirLimit? {
        limits.first { $0.pollutant == pollutant && $0.period == period && $0.grade == grade }
    }

    // MARK: - Data

    /// Rows of `pollutant period grade1 grade2 unit`, one edition's table.
    private static func rows(_ text: String, _ source: StandardSource) -> [AmbientAirLimit] {
        text.split(separator: "\n").flatMap { line -> [AmbientAirLimit] in
            let f = line.split(separator: " ").map(String.init)
            let period = AveragingPeriod(parsing: f[1])!
            return [AmbientGrade.one, .two].map { grade in
                AmbientAirLimit(
                    pollutant: f[0], period: period, grade: grade, limit: Decimal(plainNumeral: f[1 + grade.rawValue])!, unit: f[4],
                    source: source)
            }
        }
    }

    /// GB 3095-2012 Tables 1 and 2 ([S], reference/standards.md §4.1).
    public static let gb3095_2012 = AmbientAirLimits(
        edition: .gb3095_2012,
        limits: rows(
            """
            SO2 year 20 60 µg/m³
            SO2 24h 50 150 µg/m³
            SO2 1h 150 500 µg/m³
            NO2 year 40 40 µg/m³
            NO2 24h 80 80 µg/m³
            NO2 1h 200 200 µg/m³
            CO 24h 4 4 mg/m³
            CO 1h 10 10 mg/m³
            O3 8h 100 160 µg/m³
            O3 1h 160 200 µg/m³
            PM10 year 40 70 µg/m³
            PM10 24h 50 150 µg/m³
            PM2.5 year 15 35 µg/m³
            PM2.5 24h 35 75 µg/m³
            TSP year 80 200 µg/m³
            TSP 24h 120 300 µg/m³
            NOx year 50 50 µg/m³
            NOx 24h 100 100 µg/m³
            NOx 1h 250 250 µg/m³
            Pb year 0.5 0.5 µg/m³
            Pb quarter 1 1 µg/m³
            BaP year 0.001 0.001 µg/m³
            BaP 24h 0.0025 0.0025 µg/m³
            """, StandardSource("GB 3095-2012", "Tables 1–2", .secondary)))

    /// GB 3095-2026 Tables 1 and 2, transitional limits ([V], reference/standards.md §4.2). The Table 2 items
    /// (TSP, NOx, Pb, BaP) take effect as MEE or the provinces decide (§4.5).
    public static let gb3095_2026Transitional = AmbientAirLimits(
        edition: .gb3095_2026Transitional,
        limits: rows(
            """
            SO2 year 20 60 µg/m³
            SO2 24h 50 150 µg/m³
            SO2 1h 150 500 µg/m³
            NO2 year 40 40 µg/m³
            NO2 24h 80 80 µg/m³
            NO2 1h 200 200 µg/m³
            CO 24h 4 4 mg/m³
            CO 1h 10 10 mg/m³
            O3 8h 100 160 µg/m³
            O3 1h 160 200 µg/m³
            PM10 year 40 60 µg/m³
            PM10 24h 50 120 µg/m³
            PM2.5 year 15 30 µg/m³
            PM2.5 24h 35 60 µg/m³
            TSP year 80 200 µg/m³
            TSP 24h 120 300 µg/m³
            NOx year 50 50 µg/m³
            NOx 24h 100 100 µg/m³
            NOx 1h 250 250 µg/m³
            Pb year 0.5 0.5 µg/m³
            Pb quarter 1.0 1.0 µg/m³
            BaP year 0.001 0.001 µg/m³
            BaP 24h 0.0025 0.0025 µg/m³
            """, StandardSource("GB 3095-2026", "Tables 1–2 (transitional)", .verified)))

    /// GB 3095-2026 Tables 1 and 2, final limits from 2031-01-01 ([V], reference/standards.md §4.2).
    public static let gb3095_2026Final = AmbientAirLimits(
        edition: .gb3095_2026Final,
        limits: rows(
            """
            SO2 year 20 20 µg/m³
            SO2 24h 50 50 µg/m³
            SO2 1h 150 150 µg/m³
            NO2 year 30 30 µg/m³
            NO2 24h 50 50 µg/m³
            NO2 1h 200 200 µg/m³
            CO 24h 4 4 mg/m³
            CO 1h 10 10 mg/m³
            O3 8h 100 160 µg/m³
            O3 1h 160 200 µg/m³
            PM10 year 20 50 µg/m³
            PM10 24h 50 100 µg/m³
            PM2.5 year 10 25 µg/m³
            PM2.5 24h 25 50 µg/m³
            TSP year 80 200 µg/m³
            TSP 24h 120 300 µg/m³
            NOx year 40 40 µg/m³
            NOx 24h 70 70 µg/m³
            NOx 1h 250 250 µg/m³
            Pb year 0.5 0.5 µg/m³
            Pb quarter 1.0 1.0 µg/m³
            BaP year 0.001 0.001 µg/m³
            BaP 24h 0.0025 0.0025 µg/m³
            """, StandardSource("GB 3095-2026", "Tables 1–2 (final)", .verified)))
}
