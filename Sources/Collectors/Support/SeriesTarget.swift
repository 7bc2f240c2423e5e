import Monitoring

/// What storing a value of one configured parameter of a station needs, worked out once per
/// station: the series keys of each kind, the factor from the reported to the stored unit, and
/// the instrument range. HJ 212 uploads (``HJ212Ingest``) and readings from HTTP, MQTT or an
/// import (``ReadingIngest``) check their values through it, so both refuse the same values with
/// the same reason codes and the same words.
///
/// A class: a value's lookup by parameter retains one reference, where a struct's copy out of
/// the dictionary retained its keys, parameter and unit, for every value of every frame.
final class SeriesTarget: Sendable {
    /// By `SeriesKind.allCases` index.
    let keys: [SeriesKey]
    /// From the reported to the stored unit; nil when the units do not convert.
    let factor: Double?
    /// The instrument range, in the stored unit.
    let range: ClosedRange<Double>
    /// The stored unit's symbol (made when a message needs it: it costs string replacements).
    var unit: String { storedUnit.symbol }
    /// The catalogue id.
    let parameter: String
    /// The stored unit.
    let storedUnit: MeasurementUnit

    init(keys: [SeriesKey], factor: Double?, range: ClosedRange<Double>, parameter: String, storedUnit: MeasurementUnit) {
        self.keys = keys
        self.factor = factor
        self.range = range
        self.parameter = parameter
        self.storedUnit = storedUnit
    }

    /// What a value becomes.
    enum Check: Equatable {
        /// The value in the stored unit, within the range.
        case stored(Double)
        /// Not a finite number, or the units do not convert.
        case notANumber
        /// Converted, but outside the instrument range (the converted value).
        case outOfRange(Double)
    }

    /// The targets of each configured parameter of `station`, by catalogue id.
    static func targets(of station: Station) -> [String: SeriesTarget] {
        var targets: [String: SeriesTarget] = [:]
        for sp in station.parameters where targets[sp.parameter.id] == nil {
            targets[sp.parameter.id] = SeriesTarget(
                keys: SeriesKind.allCases.map { SeriesKey(station: station.id, parameter: sp.parameter.id, kind: $0) },
                factor: sp.reportedUnit.factor(to: sp.unit), range: sp.range, parameter: sp.parameter.id,
                storedUnit: sp.unit)
        }
        return targets
    }

    /// Converts a value in the station's reported unit to the stored unit and checks its range.
    @inline(__always)
    func check(_ raw: Double?) -> Check {
        guard let raw, raw.isFinite, let factor else { return .notANumber }
        let value = raw * factor
        return range.contains(value) ? .stored(value) : .outOfRange(value)
    }

    /// Converts a value in `unit` (not the station's reported unit) to the stored unit and checks its range.
    func check(_ raw: Double, in unit: MeasurementUnit) -> Check {
        guard raw.isFinite, let factor = unit.factor(to: storedUnit) else { return .notANumber }
        let value = raw * factor
        return range.contains(value) ? .stored(value) : .outOfRange(value)
    }

    /// The words of an ``Check/outOfRange(_:)`` refusal.
    func outOfRangeReason(_ value: Double) -> String {
        "\(parameter) \(value) \(unit) is outside the instrument range \(range.lowerBound)…\(range.upperBound)"
    }

    /// The words of a refusal for a parameter the station lacks.
    static func notConfiguredReason(_ parameter: String, station: String) -> String { "\(parameter) is not configured at \(station)" }
}
