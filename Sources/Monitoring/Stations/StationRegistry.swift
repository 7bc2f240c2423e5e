/// The stations envmon knows, looked up by id or HJ 212 MN.
public struct StationRegistry: Sendable {
    /// Every station, sorted by id.
    public let stations: [Station]
    private let byID: [String: Station]
    private let byMN: [String: Station]

    /// Creates a registry. Ids and MNs must be unique; the loader checks this before it gets here.
    public init(_ stations: [Station]) {
        self.stations = stations.sorted { $0.id < $1.id }
        byID = Dictionary(stations.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        byMN = Dictionary(stations.compactMap { s in s.mn.map { ($0, s) } }, uniquingKeysWith: { first, _ in first })
    }

    /// The station with this id.
    public subscript(id: String) -> Station? { byID[id] }

    /// The station whose field unit has this MN.
    public func station(mn: String) -> Station? { byMN[mn] }
}
