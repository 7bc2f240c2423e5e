public import Monitoring

/// What `envmon report water` asks for: the monthly class of river and lake sections (stations of kind
/// surface-water) over a period.
public struct WaterReportRequest: Sendable {
    /// The period; each calendar month it touches is evaluated (clipped to the period).
    public var period: ReportPeriod
    /// Sections by id; empty: every surface-water station whose labels match ``labels``.
    public var sections: [String]
    /// Labels every chosen section must carry (`basin=Baisha River`); empty: no filter.
    public var labels: [String: String]

    /// Creates a request.
    public init(period: ReportPeriod, sections: [String] = [], labels: [String: String] = [:]) {
        self.period = period
        self.sections = sections
        self.labels = labels
    }

    /// The chosen sections, or an error naming what matched nothing.
    func select(from stations: StationRegistry) throws(ReportsError) -> [Station] {
        let water = stations.stations.filter { $0.kind == .surfaceWater }
        if !sections.isEmpty {
            return try sections.map { (id: String) throws(ReportsError) -> Station in
                guard let st = stations[id] else {
                    throw ReportsError("--section '\(id)': unknown station (surface-water stations: \(water.map(\.id).joined(separator: ", ")))")
                }
                guard st.kind == .surfaceWater else {
                    throw ReportsError("--section '\(id)' is a \(st.kind.rawValue) station: the section month is for surface-water stations")
                }
                return st
            }
        }
        let chosen = water.filter { st in labels.allSatisfy { st.labels[$0.key] == $0.value } }
        guard !chosen.isEmpty else {
            if water.isEmpty { throw ReportsError("no surface-water station is defined in the sensors folders") }
            let wanted = labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
            throw ReportsError("--label \(wanted): no surface-water station carries it (surface-water stations: \(water.map(\.id).joined(separator: ", ")))")
        }
        return chosen
    }
}
