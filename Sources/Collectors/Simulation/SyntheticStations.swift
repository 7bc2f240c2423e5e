import Foundation
public import Monitoring

/// Stations made up for a simulation when no sensors/ files are given: deterministic ids
/// (`sim-0001`…), MNs and passwords, so that `envmon simulate --write-sensors DIR --stations N`
/// writes exactly the stations that `envmon simulate --stations N` plays.
///
/// Every station reports every 60 s in Asia/Shanghai with a few parameters and limits of its kind.
public enum SyntheticStations {
    /// Which kinds the stations are.
    public enum Mix: String, Sendable, Hashable, CaseIterable {
        /// Ambient air, wastewater outlet, stack, surface water, in turn.
        case mixed
        /// Every station an ambient-air site.
        case ambientAir = "ambient-air"
    }

    /// The id of the `index`-th station (1-based): `sim-0001`.
    public static func id(_ index: Int) -> String { "sim-" + padded(index, 4) }

    /// The MN of the `index`-th station: 24 characters, `SIM` and 21 digits.
    public static func mn(_ index: Int) -> String { "SIM" + padded(index, 21) }

    /// The password of the `index`-th station.
    public static func password(_ index: Int) -> String { "sim" + padded(SimulationRandom.mix(UInt64(index)) % 1_000_000, 6) }

    /// The kind of the `index`-th station.
    public static func kind(_ index: Int, mix: Mix) -> StationKind {
        switch mix {
        case .ambientAir: .ambientAir
        case .mixed: [StationKind.ambientAir, .dischargeOutlet, .stack, .surfaceWater][(index - 1) % 4]
        }
    }

    /// The first `count` stations.
    public static func stations(_ count: Int, mix: Mix = .mixed) -> [Station] {
        count > 0 ? (1...count).map { station($0, mix: mix) } : []
    }

    /// The `index`-th station (1-based).
    public static func station(_ index: Int, mix: Mix = .mixed) -> Station {
        let kind = kind(index, mix: mix)
        let parameters = template(kind).map { id, limits in
            let p = ParameterCatalogue.standard[id]!
            let m = p.measurement(in: kind.medium)!
            return StationParameter(parameter: p, reportedUnit: m.unit, unit: m.unit, range: m.range, limits: limits)
        }
        return Station(
            id: id(index), name: "Simulated \(kind.rawValue) station \(padded(index, 4))", kind: kind, mn: mn(index),
            password: password(index), timeZone: TimeZone(identifier: "Asia/Shanghai")!, expectedInterval: 60,
            parameters: parameters, labels: ["simulated": "true"], location: location(index))
    }

    /// Where the `index`-th station stands: spread at random (but the same every run) over a city
    /// of about 30 km × 30 km around 36.68° N, 117.02° E, where the demo's Qinghe lies.
    public static func location(_ index: Int) -> GeoLocation {
        func unit(_ salt: UInt64) -> Double { Double(SimulationRandom.hash(UInt64(index), salt) >> 11) / Double(1 << 53) }
        // 0.27° of latitude and 0.34° of longitude are each about 30 km there; 6 decimals (0.1 m),
        // as StationYAML writes them, so that a station written and read back is the same.
        func micro(_ v: Double) -> Double { (v * 1e6).rounded() / 1e6 }
        return GeoLocation(latitude: micro(36.68 + (unit(1) - 0.5) * 0.27), longitude: micro(117.02 + (unit(2) - 0.5) * 0.34))!
    }

    /// The parameters and limits of each kind.
    static func template(_ kind: StationKind) -> [(String, [Limit])] {
        switch kind {
        case .ambientAir:
            let gb3095 = "GB 3095-2012 grade 2"
            return [
                ("PM2.5", [Limit(basis: .day, max: 75, source: gb3095)]), ("PM10", [Limit(basis: .day, max: 150, source: gb3095)]),
                ("NO2", [Limit(basis: .hour, max: 200, source: gb3095)]), ("O3", [Limit(basis: .hour, max: 200, source: gb3095)]),
                ("CO", [Limit(basis: .hour, max: 10, source: gb3095)]),
            ]
        case .dischargeOutlet:
            let gb18918 = "GB 18918-2002 grade 1A"
            return [
                ("COD", [Limit(basis: .day, max: 50, source: gb18918)]), ("NH3-N", [Limit(basis: .day, max: 5, source: gb18918)]),
                ("TP", [Limit(basis: .day, max: 0.5, source: gb18918)]), ("pH", [Limit(basis: .day, max: 9, min: 6, source: gb18918)]),
                ("Q-water", []),
            ]
        case .stack:
            let ule = "ultra-low emission"
            return [
                ("Dust", [Limit(basis: .hour, max: 10, source: ule)]), ("SO2", [Limit(basis: .hour, max: 35, source: ule)]),
                ("NOx", [Limit(basis: .hour, max: 50, source: ule)]), ("O2", []), ("Q-gas", []),
            ]
        case .surfaceWater:
            let gb3838 = "GB 3838-2002 class III"
            return [
                ("DO", [Limit(basis: .day, min: 5, source: gb3838)]), ("CODMn", [Limit(basis: .day, max: 6, source: gb3838)]),
                ("NH3-N", [Limit(basis: .day, max: 1, source: gb3838)]), ("TP", [Limit(basis: .day, max: 0.2, source: gb3838)]),
                ("WT", []),
            ]
        }
    }

    private static func padded(_ n: some BinaryInteger, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
