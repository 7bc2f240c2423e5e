public import Monitoring

/// A station as the simulator plays it: its HJ 212 identity, the command and period of what it
/// sends, and the model of each parameter. A pure value, derived from a ``Station`` and a seed.
///
/// ```swift
/// let model = try SimulatedStation(station, kind: .hour, seed: 42)
/// model.cn      // "2061"
/// model.step    // 3600
/// ```
public struct SimulatedStation: Sendable, Hashable {
    /// The station.
    public let station: Station
    /// What the station sends: real-time values or its minute, hour or day averages.
    public let kind: SeriesKind
    /// `ST`: 32 wastewater outlets, 21 surface water, 31 stacks, 22 ambient air.
    public let st: String
    /// `CN`: 2011 real-time, 2051 minute, 2061 hour, 2031 day data.
    public let cn: String
    /// `MN`.
    public let mn: String
    /// `PW`: the station's password, or `123456` (the standard's example) when it has none.
    public let password: String
    /// Seconds of simulated time between two frames: the station's interval for real-time data;
    /// for minute data that interval in whole minutes, 1 to 60; an hour; a day.
    public let step: Int64
    /// The parameters, in the station's order.
    public let parameters: [SimulatedParameter]
    /// The seed.
    public let seed: UInt64
    /// A stable key of the station id, for the seeded draws.
    public let key: UInt64

    /// Models a station.
    /// - Throws: ``CollectorError`` (``CollectorError/Code/mapping``) when the station has no MN.
    public init(_ station: Station, kind: SeriesKind = .realtime, seed: UInt64) throws {
        guard let mn = station.mn, !mn.isEmpty else {
            throw CollectorError(.mapping, "station '\(station.id)' has no HJ 212 MN to send with")
        }
        self.station = station
        self.kind = kind
        self.mn = mn
        password = station.password ?? "123456"
        st = SimulatedStation.systemCode(station.kind)
        switch kind {
        case .realtime:
            cn = "2011"
            step = Int64(Swift.max(1, station.expectedInterval))
        case .minute:
            cn = "2051"
            step = Int64(Swift.min(60, Swift.max(1, station.expectedInterval / 60)) * 60)
        case .hour:
            cn = "2061"
            step = 3_600
        case .day:
            cn = "2031"
            step = 86_400
        }
        self.seed = seed
        key = SimulationRandom.key(station.id)
        parameters = station.parameters.map { p in
            // Flows run at the station's declared design flow, when it declares one.
            let design = p.parameter.id == "Q-water" || p.parameter.id == "Q-gas" ? station.designFlow(in: p.unit) : nil
            return SimulatedParameter(p, kind: station.kind, stationKey: SimulationRandom.key(station.id), seed: seed, designLevel: design)
        }
    }

    /// The HJ 212-2017 system code (`ST`) of a station kind.
    public static func systemCode(_ kind: StationKind) -> String {
        switch kind {
        case .dischargeOutlet: "32"
        case .surfaceWater: "21"
        case .stack: "31"
        case .ambientAir: "22"
        }
    }
}
