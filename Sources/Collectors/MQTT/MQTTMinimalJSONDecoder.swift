import Foundation
public import Monitoring

/// A stand-in JSON readings decoder for the collector until the shared readings parsers
/// (`Sources/Collectors/Readings`) replace it behind ``MQTTPayloadDecoder``: one object
/// `{"station", "parameter", "time", "value", "flag"}`, a list of them, or `{"readings": [...]}`;
/// `time` is ISO 8601 (wall time in the station's zone when it has no offset) or seconds since
/// 1970; `value` a number in the parameter's stored unit; `flag` an HJ 212 data flag (`N` if
/// absent). Stored as real-time values of known stations and parameters only.
public struct MQTTMinimalJSONDecoder: MQTTPayloadDecoder {
    private let stations: @Sendable () -> StationRegistry

    /// Creates the decoder; `stations` gives the current stations (the daemon's station book).
    public init(stations: @escaping @Sendable () -> StationRegistry) { self.stations = stations }

    public func decode(_ message: MQTTMessage) -> MQTTDecodedPayload {
        var result = MQTTDecodedPayload()
        guard message.format == .json else {
            result.unreadable = true
            result.refuse("unsupported_format", "the \(message.format.rawValue) format is not read yet")
            return result
        }
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: Data(message.payload), options: [.fragmentsAllowed])
        } catch {
            result.unreadable = true
            result.refuse("malformed_json", "not JSON: \((error as NSError).userInfo[NSDebugDescriptionErrorKey] ?? error)")
            return result
        }
        let items: [Any]
        if let list = root as? [Any] {
            items = list
        } else if let object = root as? [String: Any], let list = object["readings"] as? [Any] {
            items = list
        } else if let object = root as? [String: Any], object["readings"] == nil {
            items = [object]
        } else {
            result.unreadable = true
            result.refuse("malformed_json", "expected a reading object, a list of them, or {\"readings\": [...]}")
            return result
        }
        let registry = stations()
        for (index, item) in items.enumerated() {
            let at = "reading \(index + 1)"
            guard let object = item as? [String: Any] else {
                result.refuse("malformed_json", "\(at): not an object")
                continue
            }
            guard let stationID = object["station"] as? String else {
                result.refuse("missing_field", "\(at): 'station' (text) is missing")
                continue
            }
            guard let station = registry[stationID], !station.retired else {
                result.refuse("unknown_station", "\(at): no station '\(stationID)'")
                continue
            }
            guard let parameterID = object["parameter"] as? String else {
                result.refuse("missing_field", "\(at): 'parameter' (text) is missing")
                continue
            }
            guard let parameter = station.parameters.first(where: { $0.parameter.id == parameterID }) else {
                result.refuse("not_configured", "\(at): station '\(stationID)' has no parameter '\(parameterID)'")
                continue
            }
            guard let number = object["value"] as? NSNumber, String(cString: number.objCType) != "c", number.doubleValue.isFinite else {
                result.refuse("not_a_number", "\(at): 'value' must be a number")
                continue
            }
            let value = number.doubleValue
            guard parameter.range.contains(value) else {
                result.refuse("out_of_range", "\(at): \(value) is outside \(parameterID)'s range \(parameter.range.lowerBound)…\(parameter.range.upperBound)")
                continue
            }
            var flag = DataFlag.normal
            if let text = object["flag"] {
                guard let letter = text as? String, let f = DataFlag(letter: letter) else {
                    result.refuse("bad_flag", "\(at): 'flag' must be an HJ 212 data flag (N, F, M, S, D, C, T, B)")
                    continue
                }
                flag = f
            }
            let time: Int64
            if let text = object["time"] as? String {
                do {
                    time = try ISO8601Time.parse(text, in: ZoneCalendar(station.timeZone))
                } catch {
                    result.refuse("bad_time", "\(at): 'time' \(error)")
                    continue
                }
            } else if let seconds = object["time"] as? NSNumber, seconds.doubleValue.isFinite {
                time = Int64(seconds.doubleValue.rounded(.down))
            } else {
                result.refuse("bad_time", "\(at): 'time' (ISO 8601 text or seconds since 1970) is missing")
                continue
            }
            result.samples.append(Sample(series: SeriesKey(station: stationID, parameter: parameterID, kind: .realtime), time: time, value: value, flag: flag))
        }
        if items.isEmpty {
            result.unreadable = true
            result.refuse("malformed_json", "no readings")
        }
        return result
    }
}
