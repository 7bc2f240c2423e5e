public import Foundation
public import Monitoring

/// The ambient-air evaluation of one site, or of a city, over a period (HJ 663 in the terms of
/// reference/standards.md §4): valid days, days by AQI category and the good-air-day share, primary
/// pollutants, period means, the HJ 663 percentiles, each against GB 3095, and the composite index.
public struct AirEvaluation: Sendable {
    /// What a period figure says about its limit.
    public enum Verdict: String, Sendable, Hashable {
        /// At or below the limit.
        case meets
        /// Strictly above the limit.
        case exceeds
    }

    /// One period figure (a mean or a percentile) against its GB 3095 limit.
    public struct Statistic: Sendable {
        /// `PM2.5` for a mean; `PM2.5:24h:p95`, `O3:mda8:p90` for a percentile.
        public let key: String
        public let indicator: AirIndicator
        /// The percentile, or `nil` for the period mean.
        public let percent: Int?
        /// The value in the indicator's unit, or `nil` without valid days.
        public let value: Double?
        /// The valid daily values it was computed from.
        public let days: Int
        /// The limit it is compared with: the annual limit for a mean, the 24-h (O3 8-h) limit for a percentile.
        public let limit: AmbientAirLimit?
        public let verdict: Verdict?
        /// Means only: whether the daily values meet GB 3095 Table 4's minimum for an annual mean (≥ 324 a
        /// year, ≥ 27 in each month, February ≥ 25), applied to the period's whole months; a flag, not a refusal.
        public let meetsValidityMinimum: Bool?
    }

    /// One term Ci / Si of the composite index.
    public struct IndexTerm: Sendable {
        public let key: String
        public let value: Double
        public let limit: Double
        public var index: Double { value / limit }
    }

    /// The days of the period.
    public let days: Int
    /// Days with a valid daily AQI.
    public let validDays: Int
    /// Valid days with AQI ≤ 100 (优 and 良).
    public let goodDays: Int
    /// Days per AQI category, level 1 to 6.
    public let categoryDays: [AQICategory: Int]
    /// Days on which each pollutant was primary (AQI > 50; a tie counts for each), most days first.
    public let primaryPollutantDays: [(pollutant: AQIPollutant, days: Int)]
    /// Period means of SO2, NO2, PM10 and PM2.5.
    public let means: [Statistic]
    /// SO2 and NO2 24-h p98, PM10, PM2.5 and CO 24-h p95, O3 MDA8 p90.
    public let percentiles: [Statistic]
    /// The terms of the composite index; empty when one of the six figures is missing.
    public let indexTerms: [IndexTerm]
    /// The edition the period figures are judged by: the one in force on the period's last day.
    public let limits: AmbientAirLimits
    /// Whether the period spans two editions (it contains 2026-03-01 or 2031-01-01).
    public let spansEditions: Bool

    /// 优良天数比例: good days / valid days, or `nil` without valid days.
    public var goodDayShare: Double? { validDays > 0 ? Double(goodDays) / Double(validDays) : nil }

    /// 环境空气质量综合指数 Σ Ci / Si, or `nil` when a figure is missing.
    public var compositeIndex: Double? { indexTerms.count == 6 ? indexTerms.reduce(0) { $0 + $1.index } : nil }

    /// The percentiles of HJ 663: indicator and percent.
    static let percentileSpecs: [(AirIndicator, Int)] = [(.so2, 98), (.no2, 98), (.pm10, 95), (.pm25, 95), (.co, 95), (.o3MDA8, 90)]

    /// Evaluates daily values over a period.
    ///
    /// - Parameters:
    ///   - daily: The site's or the city's daily values.
    ///   - period: The period; its last day picks the GB 3095 edition.
    ///   - grade: The grade of the limits the figures are judged by (the composite index always uses grade 2).
    public init(_ daily: AirDailyValues, period: ReportPeriod, grade: AmbientGrade) {
        days = daily.dates.count
        limits = AmbientAirLimits.applicable(on: period.last)
        spansEditions = AmbientAirLimits.applicable(on: period.first).edition != limits.edition

        var valid = 0
        var good = 0
        var categories: [AQICategory: Int] = [:]
        var primary: [AQIPollutant: Int] = [:]
        for d in daily.dates.indices {
            guard let day = Self.dayIndex(daily, d) else { continue }
            valid += 1
            if day.aqi <= 100 { good += 1 }
            categories[AQICategory(aqi: day.aqi), default: 0] += 1
            for p in day.primary { primary[p, default: 0] += 1 }
        }
        validDays = valid
        goodDays = good
        categoryDays = categories
        primaryPollutantDays = primary.sorted { ($0.value, $1.key.rawValue) > ($1.value, $0.key.rawValue) }.map { ($0.key, $0.value) }

        let limits = limits
        means = [AirIndicator.so2, .no2, .pm10, .pm25].map { indicator in
            let values = daily[indicator].compactMap { $0 }
            let mean = values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
            let limit = limits.limit(indicator.pollutant.rawValue, .year, grade: grade)
            return Statistic(
                key: indicator.pollutant.rawValue, indicator: indicator, percent: nil, value: mean, days: values.count, limit: limit,
                verdict: Self.verdict(mean, limit), meetsValidityMinimum: Self.meetsValidity(daily, indicator, period))
        }
        percentiles = Self.percentileSpecs.map { indicator, percent in
            let values = daily[indicator].compactMap { $0 }
            let value = HJ663Percentile.value(of: values, percent: Double(percent))
            let limit = limits.limit(indicator.pollutant.rawValue, indicator.period, grade: grade)
            let key = indicator == .o3MDA8 ? "O3:mda8:p\(percent)" : "\(indicator.key):p\(percent)"
            return Statistic(
                key: key, indicator: indicator, percent: percent, value: value, days: values.count, limit: limit,
                verdict: Self.verdict(value, limit), meetsValidityMinimum: nil)
        }

        // 《城市环境空气质量排名技术规定》: the four annual means over their grade-2 annual limits, CO p95
        // over its 24-h limit and O3 MDA8 p90 over its 8-h limit.
        var terms: [IndexTerm] = []
        for m in means {
            if let v = m.value, let s = limits.limit(m.indicator.pollutant.rawValue, .year, grade: .two) {
                terms.append(IndexTerm(key: m.key, value: v, limit: s.limit.doubleValue))
            }
        }
        for p in percentiles where p.indicator == .co || p.indicator == .o3MDA8 {
            if let v = p.value, let s = limits.limit(p.indicator.pollutant.rawValue, p.indicator.period, grade: .two) {
                terms.append(IndexTerm(key: p.key, value: v, limit: s.limit.doubleValue))
            }
        }
        indexTerms = terms.count == 6 ? terms : []
    }

    /// A day's AQI by the HJ 633 edition in force that day, with its primary pollutants, or `nil` when
    /// the day is not valid: a day is valid when its six basic indicators are, or when those it has
    /// already give an AQI above 100 (HJ 633-2026 §5.3, applied to both editions).
    static func dayIndex(_ daily: AirDailyValues, _ d: Int) -> (aqi: Int, primary: [AQIPollutant])? {
        let standard = AQIStandard.china(on: daily.dates[d])
        var concentrations: [AQIConcentration] = []
        var complete = true
        for indicator in AirIndicator.allCases {
            guard indicator != .o3Max1h || standard == .hj633_2012 else { continue }
            if let v = daily.values[indicator.rawValue][d] {
                concentrations.append(AQIConcentration(indicator.pollutant, indicator.period, decimal(v)))
            } else if indicator != .o3Max1h {
                complete = false
            }
        }
        guard !concentrations.isEmpty, let result = try? AirQualityIndex.evaluate(concentrations, standard: standard), let aqi = result.aqi
        else { return nil }
        guard complete || aqi > 100 else { return nil }
        return (aqi, result.primaryPollutants)
    }

    /// The decimal a daily value stands for: values are kept to 10 decimals (``AirDailyValues/kept(_:)``), so
    /// this is exact, without the string round trip of `Decimal(shortestOf:)` (~1 µs, 130,000 times in a
    /// report of 12 sites × 4 years).
    public static func decimal(_ v: Double) -> Decimal {
        let scaled = (v * 1e10).rounded()
        guard v >= 0, scaled < 9e15 else { return Decimal(shortestOf: v) }
        return Decimal(sign: .plus, exponent: -10, significand: Decimal(Int64(scaled)))
    }

    private static func verdict(_ value: Double?, _ limit: AmbientAirLimit?) -> Verdict? {
        guard let value, let limit else { return nil }
        return limit.isExceeded(by: value) ? .exceeds : .meets
    }

    /// GB 3095 Table 4 for an annual mean, over the period's whole months: a year needs ≥ 324 valid days and
    /// ≥ 27 in each month (February ≥ 25); a month or a run of dates, the monthly minimum of each whole month.
    private static func meetsValidity(_ daily: AirDailyValues, _ indicator: AirIndicator, _ period: ReportPeriod) -> Bool? {
        var perMonth: [Int: Int] = [:]
        for (d, v) in daily[indicator].enumerated() where v != nil {
            perMonth[daily.dates[d].year * 100 + daily.dates[d].month, default: 0] += 1
        }
        if period.kind == .year {
            let counts = (1...12).map { perMonth[period.first.year * 100 + $0] ?? 0 }
            return AmbientValidity.isValidYear(validDaysPerMonth: counts, pollutant: indicator.pollutant.rawValue)
        }
        let months = period.wholeMonths
        guard !months.isEmpty else { return nil }
        return months.allSatisfy { (perMonth[$0.year * 100 + $0.month] ?? 0) >= ($0.month == 2 ? 25 : 27) }
    }
}
