public import Monitoring
public import Store
import Foundation

/// The newest value of one parameter of a station, with the limit it is shown against and its
/// colour class.
public struct OverviewValue: Sendable {
    /// The parameter as the station reports it.
    public var parameter: StationParameter
    /// The series the value was read from (the newest of the parameter's stored kinds); `nil`
    /// when none is stored.
    public var kind: SeriesKind?
    /// The reading, `nil` when none is stored.
    public var sample: StoredSample?
    /// The limit it is judged by: see ``limit(of:at:now:)``.
    public var limit: Limit?
    /// Its class against ``limit``.
    public var valueClass: ValueClass

    /// Creates a value and classes it.
    public init(parameter: StationParameter, kind: SeriesKind?, sample: StoredSample?, limit: Limit?) {
        self.parameter = parameter
        self.kind = kind
        self.sample = sample
        self.limit = limit
        self.valueClass = ValueClass(sample, limit: limit)
    }

    /// The limit a single reading of `sp` is shown against: the station's own limit of the shortest
    /// basis (a reading's, else an hour's, else a day's); for an ambient site without one, the
    /// GB 3095 grade-2 limit in force at `now` (the 1-h limit, else the 24-h one), in the stored
    /// unit. Comparing one reading with an hour's or a day's limit is an indication: the rules judge
    /// the averages.
    public static func limit(of sp: StationParameter, at station: Station, now: Int64) -> Limit? {
        if let own = Limit.Basis.allCases.lazy.compactMap({ basis in sp.limits.first { $0.basis == basis } }).first { return own }
        guard station.kind == .ambientAir else { return nil }
        let limits = AmbientAirLimits.applicable(at: now)
        for (period, basis) in [(AveragingPeriod.hour, Limit.Basis.hour), (.day, .day)] {
            guard let l = limits.limit(sp.parameter.id, period, grade: .two), let unit = MeasurementUnit(parsing: l.unit),
                let toLimit = sp.unit.factor(to: unit), toLimit > 0
            else { continue }
            return Limit(basis: basis, max: NSDecimalNumber(decimal: l.limit).doubleValue / toLimit, source: "\(l.source.document) grade 2")
        }
        return nil
    }
}
