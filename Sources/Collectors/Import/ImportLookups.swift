import Foundation
import Monitoring

/// What the importer resolved once and reuses for every row: stations by the text of their
/// column, parameters by name, and for each (station, parameter) the series, the instrument
/// range and the unit factor.
///
/// A long file repeats a few names millions of times. Resolving them per row (a `String` per
/// field, a dictionary lookup, a `Station` copied with its arrays, a `SeriesKey` hashed anew) was
/// most of the importer's time after the times themselves.
struct ImportLookups {
    /// What a value of one parameter at one station becomes: plain values only, since the
    /// importer copies one for every value it reads.
    struct Target {
        /// The series the value goes to, by its number in ``ImportLookups/series`` (whose key
        /// also names the station and parameter in rejections).
        let series: Int32
        /// The instrument's plausible range in the stored unit; `nil` when the station does not
        /// report the parameter.
        let range: ClosedRange<Double>?
        /// The unit values come in unless a unit column says otherwise.
        let unit: MeasurementUnit?
        /// The unit values are stored in.
        let storedUnit: MeasurementUnit?
        /// The factor from `unit` to `storedUnit`; `nil` when they cannot be converted.
        let factor: Double?
    }

    /// A station met in the file.
    struct StationEntry {
        let station: Station
        /// Targets of the wide layout's value columns, in their order.
        var wide: [Target]
        /// Targets of the long layout, by the index of the parameter's name in ``names``.
        var long: [Target?] = []
    }

    private let registry: StationRegistry
    private let kind: SeriesKind
    /// Every series a target was made for, numbered in the order met.
    private(set) var series: [SeriesKey] = []
    private var seriesNumbers: [SeriesKey: Int32] = [:]
    private(set) var stations: [StationEntry] = []
    private var stationIndex: [String: Int] = [:]
    /// Parameter names met in a long file with the catalogue ids they name; looked up by bytes.
    private var names: [(bytes: [UInt8], parameterID: String?)] = []
    /// Distinct parameter names remembered at most (a file of garbage names must not grow this).
    static let maxNames = 256

    init(registry: StationRegistry, kind: SeriesKind) {
        self.registry = registry
        self.kind = kind
    }

    /// The entry of the station with this id, or `nil` when there is none.
    mutating func station(id: String, wide values: [CSVImporter.Layout.Value]) -> Int? {
        if let i = stationIndex[id] { return i }
        guard let station = registry[id] else { return nil }
        var wide: [Target] = []
        for v in values { wide.append(target(station, v.parameter, unit: v.unit)) }
        stations.append(StationEntry(station: station, wide: wide))
        stationIndex[id] = stations.count - 1
        return stations.count - 1
    }

    /// The index of a parameter name (for ``longTarget(station:name:)``), or `nil` when the name is
    /// not remembered and there is no room left to remember it.
    mutating func name(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        for (i, name) in names.enumerated() where bytes.sameBytes(as: name.bytes) { return i }
        guard names.count < Self.maxNames else { return nil }
        names.append((Array(bytes), ParameterCatalogue.standard.named(String(decoding: bytes, as: UTF8.self))?.id))
        return names.count - 1
    }

    /// Whether a remembered name is a parameter of the catalogue.
    func isParameter(name: Int) -> Bool { names[name].parameterID != nil }

    /// The target of a long row's value at a station, for a remembered name of a known parameter.
    mutating func longTarget(station s: Int, name: Int) -> Target {
        if stations[s].long.count <= name { stations[s].long += repeatElement(nil, count: name + 1 - stations[s].long.count) }
        if let t = stations[s].long[name] { return t }
        let t = target(stations[s].station, names[name].parameterID!, unit: nil)
        stations[s].long[name] = t
        return t
    }

    /// A target made afresh (for names beyond ``maxNames``).
    mutating func target(_ station: Station, _ parameterID: String, unit: MeasurementUnit?) -> Target {
        let sp = station.parameter(parameterID)
        let from = unit ?? sp?.reportedUnit
        let key = SeriesKey(station: station.id, parameter: parameterID, kind: kind)
        let number: Int32
        if let n = seriesNumbers[key] {
            number = n
        } else {
            number = Int32(series.count)
            series.append(key)
            seriesNumbers[key] = number
        }
        return Target(series: number, range: sp?.range, unit: from, storedUnit: sp?.unit, factor: sp.flatMap { from?.factor(to: $0.unit) })
    }
}
