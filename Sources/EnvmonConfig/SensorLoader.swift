public import Monitoring
import Foundation
import Yams

/// Loads station definitions from sensors/: one YAML file a site, each holding one station or a
/// `stations:` list.
///
/// ```swift
/// let registry = try SensorLoader().load(directory: "sensors")
/// ```
///
/// Every file is checked against the catalogue; all problems of all files are reported together,
/// each with its file, line and column.
public struct SensorLoader: Sendable {
    /// The catalogue parameters are checked against.
    public var catalogue: ParameterCatalogue

    /// Creates a loader.
    public init(catalogue: ParameterCatalogue = .standard) { self.catalogue = catalogue }

    /// Loads every `*.yaml`/`*.yml` file in `directory` (sorted by name) into a registry.
    /// - Throws: ``ConfigErrors`` listing every problem found.
    public func load(directory: String) throws(ConfigErrors) -> StationRegistry {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw ConfigErrors([ConfigError(.unreadable, "cannot list the sensors directory", file: directory)])
        }
        let files = names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
            .map { directory.hasSuffix("/") ? directory + $0 : directory + "/" + $0 }
        return try load(files: files)
    }

    /// Loads the given files into a registry.
    /// - Throws: ``ConfigErrors`` listing every problem found.
    public func load(files: [String]) throws(ConfigErrors) -> StationRegistry {
        var errors: [ConfigError] = []
        var stations: [(Station, YAMLFile, Node)] = []
        for path in files {
            do {
                let file = try YAMLFile(path: path)
                stations += parse(file, errors: &errors)
            } catch {
                errors.append(error)
            }
        }
        var ids: [String: String] = [:]
        var mns: [String: String] = [:]
        for (station, file, node) in stations {
            if let other = ids[station.id] {
                errors.append(file.error(.duplicateID, "station id '\(station.id)' is already defined in \(other)", at: node.value(forKey: "id")))
            } else {
                ids[station.id] = file.path
            }
            if let mn = station.mn {
                if let other = mns[mn] {
                    errors.append(file.error(.duplicateMN, "MN '\(mn)' is already used by station '\(other)'", at: node.value(forKey: "hj212")?.value(forKey: "mn")))
                } else {
                    mns[mn] = station.id
                }
            }
        }
        if !errors.isEmpty { throw ConfigErrors(errors) }
        return StationRegistry(stations.map(\.0))
    }

    /// Parses one file; problems go to `errors`, good stations are returned.
    func parse(_ file: YAMLFile, errors: inout [ConfigError]) -> [(Station, YAMLFile, Node)] {
        guard let root = file.root else {
            errors.append(file.error(.missingField, "the file is empty: expected a station", at: nil))
            return []
        }
        if let list = root.value(forKey: "stations") {
            guard let items = list.items else {
                errors.append(file.error(.wrongType, "'stations' must be a list of stations", at: list))
                return []
            }
            return items.compactMap { node in station(node, file, &errors).map { ($0, file, node) } }
        }
        return station(root, file, &errors).map { [($0, file, root)] } ?? []
    }

    private static let stationFields: Set<String> = [
        "id", "name", "kind", "time_zone", "interval", "hj212", "labels", "parameters", "retired", "description", "location",
    ]

    private func station(_ node: Node, _ file: YAMLFile, _ errors: inout [ConfigError]) -> Station? {
        guard let pairs = node.pairs else {
            errors.append(file.error(.wrongType, "a station must be a mapping with id, name, kind…", at: node))
            return nil
        }
        let before = errors.count
        for (key, _) in pairs where !SensorLoader.stationFields.contains(key.text ?? "") {
            errors.append(file.error(.unknownField, "unknown field '\(key.text ?? "?")' (expected one of \(SensorLoader.stationFields.sorted().joined(separator: ", ")))", at: key))
        }
        func required(_ key: String) -> String? {
            guard let v = node.value(forKey: key) else {
                errors.append(file.error(.missingField, "missing '\(key)'", at: node))
                return nil
            }
            guard let t = v.text, !t.isEmpty else {
                errors.append(file.error(.wrongType, "'\(key)' must be a non-empty text", at: v))
                return nil
            }
            return t
        }
        let id = required("id")
        if let id, id.contains(where: { $0.isWhitespace || $0 == "/" }) {
            errors.append(file.error(.badValue, "station id '\(id)' must not contain spaces or '/'", at: node.value(forKey: "id")))
        }
        let name = required("name")
        var kind: StationKind?
        if let k = required("kind") {
            kind = StationKind(rawValue: k)
            if kind == nil {
                errors.append(file.error(.unknownKind, "unknown kind '\(k)' (expected \(StationKind.allCases.map(\.rawValue).joined(separator: ", ")))", at: node.value(forKey: "kind")))
            }
        }
        var zone: TimeZone? = TimeZone(identifier: "Asia/Shanghai")
        if let z = node.value(forKey: "time_zone") {
            zone = z.text.flatMap { TimeZone(identifier: $0) }
            if zone == nil {
                errors.append(file.error(.badTimeZone, "'\(z.text ?? "?")' is not an IANA time zone (e.g. Asia/Shanghai)", at: z))
            }
        }
        var interval = 3_600
        if let i = node.value(forKey: "interval") {
            if let s = i.text.flatMap(DurationText.seconds), s > 0 {
                interval = s
            } else {
                errors.append(file.error(.badValue, "'interval' must be a positive duration such as 1m, 10m or 1h", at: i))
            }
        }
        var mn: String?
        var password: String?
        if let hj = node.value(forKey: "hj212") {
            mn = hj.value(forKey: "mn")?.text
            password = hj.value(forKey: "password")?.text
            if mn == nil || mn?.isEmpty == true {
                errors.append(file.error(.missingField, "'hj212' needs an 'mn'", at: hj))
            }
        }
        var labels: [String: String] = [:]
        if let l = node.value(forKey: "labels") {
            if let lp = l.pairs {
                for (k, v) in lp { labels[k.text ?? ""] = v.text ?? "" }
            } else {
                errors.append(file.error(.wrongType, "'labels' must be a mapping of names to texts", at: l))
            }
        }
        var parameters: [StationParameter] = []
        if let p = node.value(forKey: "parameters"), let kind {
            parameters = stationParameters(p, medium: kind.medium, file, &errors)
        } else if node.value(forKey: "parameters") == nil {
            errors.append(file.error(.missingField, "missing 'parameters'", at: node))
        }
        let retired = node.value(forKey: "retired")?.bool ?? false
        let location = node.value(forKey: "location").flatMap { self.location($0, file, &errors) }
        guard errors.count == before, let id, let name, let kind, let zone else { return nil }
        return Station(
            id: id, name: name, kind: kind, mn: mn, password: password, timeZone: zone, expectedInterval: interval,
            parameters: parameters, labels: labels, retired: retired, location: location)
    }

    /// `location: {lat: 36.68, lon: 117.02}`: both halves, numbers in range.
    private func location(_ node: Node, _ file: YAMLFile, _ errors: inout [ConfigError]) -> GeoLocation? {
        guard let pairs = node.pairs else {
            errors.append(file.error(.wrongType, "'location' must be a mapping such as {lat: 36.68, lon: 117.02}", at: node))
            return nil
        }
        for (key, _) in pairs where !["lat", "lon"].contains(key.text ?? "") {
            errors.append(file.error(.unknownField, "unknown field '\(key.text ?? "?")' in 'location' (expected lat, lon)", at: key))
        }
        func coordinate(_ key: String, _ range: ClosedRange<Double>, _ what: String) -> Double? {
            guard let v = node.value(forKey: key) else {
                errors.append(file.error(.missingField, "'location' needs '\(key)' (\(what) in degrees)", at: node))
                return nil
            }
            guard let d = v.float, d.isFinite, range.contains(d) else {
                let bounds = "\(FixedPoint.plain(range.lowerBound))…\(FixedPoint.plain(range.upperBound))"
                errors.append(file.error(.badValue, "'\(key)' must be a number of degrees in \(bounds) (\(what)), not '\(v.text ?? "?")'", at: v))
                return nil
            }
            return d
        }
        let lat = coordinate("lat", GeoLocation.latitudes, "latitude, north positive")
        let lon = coordinate("lon", GeoLocation.longitudes, "longitude, east positive")
        guard let lat, let lon else { return nil }
        return GeoLocation(latitude: lat, longitude: lon)
    }

    private func stationParameters(_ node: Node, medium: Medium, _ file: YAMLFile, _ errors: inout [ConfigError]) -> [StationParameter] {
        // Either a list of ids, or a mapping of id to its settings.
        var entries: [(Node, Node?)] = []
        if let items = node.items {
            entries = items.map { ($0, nil) }
        } else if let pairs = node.pairs {
            entries = pairs.map { ($0.key, $0.value) }
        } else {
            errors.append(file.error(.wrongType, "'parameters' must be a list or a mapping of parameter ids", at: node))
            return []
        }
        var result: [StationParameter] = []
        var seen: Set<String> = []
        for (keyNode, settings) in entries {
            guard let name = keyNode.text, let parameter = catalogue.named(name) else {
                errors.append(file.error(.unknownParameter, "unknown parameter '\(keyNode.text ?? "?")'\(suggestion(for: keyNode.text ?? ""))", at: keyNode))
                continue
            }
            guard let measurement = parameter.measurement(in: medium) else {
                errors.append(file.error(.unknownParameter, "parameter '\(parameter.id)' is not measured in \(medium.rawValue) (it belongs to \(parameter.media.keys.map(\.rawValue).sorted().joined(separator: ", ")))", at: keyNode))
                continue
            }
            if !seen.insert(parameter.id).inserted {
                errors.append(file.error(.badValue, "parameter '\(parameter.id)' is listed twice", at: keyNode))
                continue
            }
            var reported = measurement.unit
            var limits: [Limit] = []
            if let settings, case .mapping = settings {
                if let u = settings.value(forKey: "unit") {
                    if let unit = u.text.flatMap(MeasurementUnit.init(parsing:)), unit.factor(to: measurement.unit) != nil {
                        reported = unit
                    } else {
                        errors.append(file.error(.badValue, "unit '\(u.text ?? "?")' cannot be converted to \(parameter.id)'s unit \(measurement.unit.symbol)", at: u))
                    }
                }
                var limitNodes: [Node] = []
                if let one = settings.value(forKey: "limit") { limitNodes.append(one) }
                if let many = settings.value(forKey: "limits") { limitNodes += many.items ?? [many] }
                for ln in limitNodes {
                    if let limit = self.limit(ln, file, &errors) { limits.append(limit) }
                }
            } else if let settings, settings.text != nil, settings.text != "" {
                errors.append(file.error(.wrongType, "settings of '\(parameter.id)' must be a mapping (unit, limit, limits)", at: settings))
            }
            result.append(StationParameter(parameter: parameter, reportedUnit: reported, unit: measurement.unit, range: measurement.range, limits: limits))
        }
        return result
    }

    private func limit(_ node: Node, _ file: YAMLFile, _ errors: inout [ConfigError]) -> Limit? {
        guard node.pairs != nil else {
            errors.append(file.error(.wrongType, "a limit is a mapping such as {max: 50, basis: hour}", at: node))
            return nil
        }
        let max = node.value(forKey: "max").flatMap { $0.float }
        let min = node.value(forKey: "min").flatMap { $0.float }
        if max == nil && min == nil {
            errors.append(file.error(.missingField, "a limit needs 'max' or 'min' (a number)", at: node))
            return nil
        }
        if let max, let min, min > max {
            errors.append(file.error(.badValue, "limit has min \(min) above max \(max)", at: node))
            return nil
        }
        var basis = Limit.Basis.hour
        if let b = node.value(forKey: "basis") {
            guard let parsed = b.text.flatMap(Limit.Basis.init(rawValue:)) else {
                errors.append(file.error(.badValue, "basis must be one of reading, hour, day", at: b))
                return nil
            }
            basis = parsed
        }
        return Limit(basis: basis, max: max, min: min, source: node.value(forKey: "source")?.text)
    }

    private func suggestion(for name: String) -> String {
        let folded = name.lowercased().filter { $0.isLetter || $0.isNumber }
        let match = catalogue.parameters.first { p in
            ([p.id] + p.aliases).contains { $0.lowercased().filter { $0.isLetter || $0.isNumber } == folded }
        }
        return match.map { " (did you mean '\($0.id)'?)" } ?? ""
    }
}
