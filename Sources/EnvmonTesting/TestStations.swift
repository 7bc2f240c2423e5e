public import Monitoring
import Foundation

/// Station builders for tests.
public enum TestStations {
    /// A station with the given parameters at their catalogue units and ranges.
    public static func station(
        _ id: String, kind: StationKind = .ambientAir, zone: String = "Asia/Shanghai", interval: Int = 3_600,
        parameters: [String]
    ) -> Station {
        let params = parameters.map { name -> StationParameter in
            let p = ParameterCatalogue.standard.named(name)!
            let m = p.measurement(in: kind.medium)!
            return StationParameter(parameter: p, reportedUnit: m.unit, unit: m.unit, range: m.range)
        }
        return Station(
            id: id, name: id, kind: kind, timeZone: TimeZone(identifier: zone)!, expectedInterval: interval, parameters: params)
    }

    /// A registry of the given stations.
    public static func registry(_ stations: Station...) -> StationRegistry { StationRegistry(stations) }
}

/// A clock for tests: time moves only when the test says so.
public final class ManualClock: @unchecked Sendable {
    // Invariant: `now` is read and written under `lock` only.
    private let lock = NSLock()
    private var current: Int64

    /// Starts at `start` seconds since the epoch.
    public init(_ start: Int64) { current = start }

    /// The current time.
    public var now: Int64 {
        lock.lock()
        defer { lock.unlock() }
        return current
    }

    /// Moves time forward.
    public func advance(by seconds: Int64) {
        lock.lock()
        current += seconds
        lock.unlock()
    }
}
