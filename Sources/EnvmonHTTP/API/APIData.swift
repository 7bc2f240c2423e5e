public import Foundation
public import Monitoring
public import Reports
public import Rules
public import Store

/// What the read and operate routes read from: the daemon's store (the one writer; reads go
/// through its reader pool), its stations and rules as they are now (a SIGHUP replaces them), the
/// clock, and the defaults of the reports.
///
/// ```swift
/// let data = APIData(store: store, stations: { book.registry }, now: WallClock.seconds)
/// let listener = HTTPListener(configuration: settings.http, access: access, routes: APIData.routes(data), logger: logger)
/// ```
public struct APIData: Sendable {
    /// The daemon's store.
    public var store: any MonitoringStore
    /// The stations in use.
    public var stations: @Sendable () -> StationRegistry
    /// The present, in seconds since 1970 (injected: tests move it).
    public var now: @Sendable () -> Int64
    /// The rules in use (for how much of an alert episode was above its limit); none: not measured.
    public var rules: @Sendable () -> [Rule]
    /// The reports' language when a request gives no `lang`.
    public var language: ReportLanguage
    /// The folder of targets and allowances (`reports.targets`).
    public var targetsPath: String
    /// The bureau's zone: the scorecard's dates, the cases' dates.
    public var timeZone: TimeZone

    /// The data of the API.
    public init(
        store: any MonitoringStore, stations: @escaping @Sendable () -> StationRegistry, now: @escaping @Sendable () -> Int64,
        rules: @escaping @Sendable () -> [Rule] = { [] }, language: ReportLanguage = .zhCN, targetsPath: String = "targets",
        timeZone: TimeZone = TimeZone(identifier: "Asia/Shanghai")!
    ) {
        self.store = store
        self.stations = stations
        self.now = now
        self.rules = rules
        self.language = language
        self.targetsPath = targetsPath
        self.timeZone = timeZone
    }

    /// Every read and operate provider on this data: stations and series, queries, alerts,
    /// reports, cases, and the OpenAPI document.
    public static func routes(_ data: APIData) -> [any HTTPRouteProvider] {
        [StationRoutes(data: data), QueryRoutes(data: data), AlertRoutes(data: data), ReportRoutes(data: data), CaseRoutes(data: data), OpenAPIRoutes()]
    }
}
