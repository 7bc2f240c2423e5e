/// An air quality index standard: China's HJ 633 (2012 or 2026 edition) or the US EPA's AQI.
///
/// The raw values are the names the command line accepts (`--standard hj633-2026`).
///
/// ```swift
/// let standard = AQIStandard.china(on: CivilTime(year: 2026, month: 3, day: 1))  // .hj633_2026
/// let result = try AirQualityIndex.evaluate([AQIConcentration(.pm25, .day, 75)], standard: standard)
/// ```
public enum AQIStandard: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// HJ 633-2012 《环境空气质量指数（AQI）技术规定（试行）》, in force until 2026-02-28.
    case hj633_2012 = "hj633-2012"
    /// HJ 633-2026 《环境空气质量指数（AQI）技术规定》, in force from 2026-03-01.
    case hj633_2026 = "hj633-2026"
    /// The US EPA AQI of the Technical Assistance Document EPA-454/B-24-002 (May 2024), with the 2024
    /// PM2.5 breakpoints (PM NAAQS rule effective 2024-05-06).
    case epa2024 = "epa-2024"

    /// The document's name, such as `HJ 633-2026`.
    public var documentName: String {
        switch self {
        case .hj633_2012: "HJ 633-2012"
        case .hj633_2026: "HJ 633-2026"
        case .epa2024: "EPA-454/B-24-002 (2024)"
        }
    }

    /// Whether this is one of China's HJ 633 editions.
    public var isChinese: Bool { self != .epa2024 }

    public var description: String { rawValue }

    /// The first day HJ 633-2026 applies: 2026-03-01 (Beijing time).
    public static let hj633_2026EffectiveDate = CivilTime(year: 2026, month: 3, day: 1)

    /// The HJ 633 edition that applies on a civil date in Beijing time (Asia/Shanghai).
    ///
    /// HJ 633-2026 from 2026-03-01, HJ 633-2012 before. Data older than HJ 633-2012 itself (which replaced
    /// the API index between 2012 and 2016) are indexed by HJ 633-2012 too: nothing older is implemented.
    /// - Parameter date: A civil date in Asia/Shanghai; its time of day is ignored.
    /// - Returns: ``hj633_2026`` on and after 2026-03-01, ``hj633_2012`` before.
    public static func china(on date: CivilTime) -> AQIStandard {
        StandardDates.date(date, isOnOrAfter: 2026, 3, 1) ? .hj633_2026 : .hj633_2012
    }

    /// The HJ 633 edition that applies at an instant (seconds since 1970-01-01T00:00:00Z).
    ///
    /// The 2026 edition applies from 2026-03-01T00:00:00+08:00 (2026-02-28T16:00:00Z).
    /// - Parameter instant: Seconds since the epoch, UTC.
    /// - Returns: ``hj633_2026`` at and after that instant, ``hj633_2012`` before.
    public static func china(at instant: Int64) -> AQIStandard {
        instant >= StandardDates.beijingMidnight(2026, 3, 1) ? .hj633_2026 : .hj633_2012
    }
}
