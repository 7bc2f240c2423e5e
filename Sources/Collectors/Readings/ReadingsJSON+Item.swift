import Foundation
import Monitoring

extension ReadingsJSON {
    /// One item as sent: every field read without failing, so one bad item does not spoil the list.
    struct Item: Decodable {
        enum Time {
            case text(String)
            case seconds(Double)
        }
        var station: String?
        var parameter: String?
        var time: Time?
        var value: Double?
        var flag: String?
        var kind: String?
        /// Fields present with the wrong type, and keys this item has.
        var wrongType: [String] = []
        var keys: Set<String> = []

        private struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: Key.self)
            keys = Set(c.allKeys.map(\.stringValue))
            func text(_ name: String) -> String? {
                let key = Key(stringValue: name)
                guard c.contains(key), (try? c.decodeNil(forKey: key)) == false else { return nil }
                if let s = try? c.decode(String.self, forKey: key) { return s }
                wrongType.append("\(name): text is required")
                return nil
            }
            station = text("station")
            parameter = text("parameter")
            flag = text("flag")
            kind = text("kind")
            let valueKey = Key(stringValue: "value")
            if c.contains(valueKey), (try? c.decodeNil(forKey: valueKey)) == false {
                if let v = try? c.decode(Double.self, forKey: valueKey) {
                    value = v
                } else {
                    wrongType.append("value: a number is required")
                }
            }
            let timeKey = Key(stringValue: "time")
            if c.contains(timeKey), (try? c.decodeNil(forKey: timeKey)) == false {
                if let s = try? c.decode(String.self, forKey: timeKey) {
                    time = .text(s)
                } else if let n = try? c.decode(Double.self, forKey: timeKey) {
                    time = .seconds(n)
                } else {
                    wrongType.append("time: an ISO 8601 time or seconds since the epoch is required")
                }
            }
        }

        /// The reading, or the first thing wrong with the item.
        func reading(index: Int, calendar: (String) -> ZoneCalendar?) throws(ItemError) -> Reading {
            if let first = wrongType.first { throw ItemError(index: index, message: first) }
            guard let station, !station.isEmpty else { throw ItemError(index: index, message: "station: required") }
            guard let parameter, !parameter.isEmpty else { throw ItemError(index: index, message: "parameter: required") }
            guard let value else { throw ItemError(index: index, message: "value: required (a number)") }
            var seriesKind = SeriesKind.realtime
            if let kind {
                guard let k = SeriesKind(rawValue: kind) else {
                    throw ItemError(index: index, message: "kind: '\(kind)' is not realtime, minute, hour or day")
                }
                seriesKind = k
            }
            var dataFlag = DataFlag.normal
            if let flag {
                guard let f = DataFlag(letter: flag) else {
                    throw ItemError(index: index, message: "flag: '\(flag)' is not an HJ 212 data flag (N, F, M, S, D, C, T or B)")
                }
                dataFlag = f
            }
            let seconds: Int64
            switch time {
            case nil: throw ItemError(index: index, message: "time: required (ISO 8601, e.g. 2026-12-06T10:00:00+08:00)")
            case .seconds(let n):
                guard n.isFinite, abs(n) < 1e13 else { throw ItemError(index: index, message: "time: \(n) is not seconds since the epoch") }
                seconds = Int64(n.rounded(.down))
            case .text(let text):
                // Unknown stations: read in UTC; ReadingIngest refuses them for their station.
                let zone = calendar(station) ?? ZoneCalendar(TimeZone(identifier: "UTC")!)
                do {
                    seconds = try ISO8601Time.parse(text, in: zone)
                } catch {
                    throw ItemError(index: index, message: "time: \(error)")
                }
            }
            return Reading(station: station, parameter: parameter, kind: seriesKind, time: seconds, value: value, flag: dataFlag)
        }
    }
}
