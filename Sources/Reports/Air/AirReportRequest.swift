public import Monitoring

/// What `envmon report air` (and later the API) asks for: the ambient-air evaluation of a set of sites
/// and of the city they make up, over a year, a month or a run of local dates.
public struct AirReportRequest: Sendable {
    /// The period.
    public var period: ReportPeriod
    /// Sites by id; empty: every ambient-air station whose labels match ``labels``.
    public var sites: [String]
    /// Labels every chosen site must carry (`city=Beijing`); empty: no filter.
    public var labels: [String: String]
    /// The grade of the limits the period figures are judged by.
    public var grade: AmbientGrade

    /// Creates a request.
    public init(period: ReportPeriod, sites: [String] = [], labels: [String: String] = [:], grade: AmbientGrade = .two) {
        self.period = period
        self.sites = sites
        self.labels = labels
        self.grade = grade
    }

    /// The chosen sites, or an error naming what matched nothing.
    func select(from stations: StationRegistry) throws(ReportsError) -> [Station] {
        let ambient = stations.stations.filter { $0.kind == .ambientAir }
        if !sites.isEmpty {
            return try sites.map { (id: String) throws(ReportsError) -> Station in
                guard let st = stations[id] else {
                    throw ReportsError("--site '\(id)': unknown station (ambient-air stations: \(ambient.map(\.id).joined(separator: ", ")))")
                }
                guard st.kind == .ambientAir else {
                    throw ReportsError("--site '\(id)' is a \(st.kind.rawValue) station: the evaluation is for ambient-air sites")
                }
                return st
            }
        }
        let chosen = ambient.filter { st in labels.allSatisfy { st.labels[$0.key] == $0.value } }
        guard !chosen.isEmpty else {
            if ambient.isEmpty { throw ReportsError("no ambient-air station is defined in the sensors folders") }
            let wanted = labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
            throw ReportsError("--label \(wanted): no ambient-air station carries it (ambient-air stations: \(ambient.map(\.id).joined(separator: ", ")))")
        }
        return chosen
    }
}
