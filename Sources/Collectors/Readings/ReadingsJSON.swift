public import Foundation
public import Monitoring

/// The body of `POST /api/v1/readings`: readings as JSON.
///
/// ```json
/// {"readings": [
///   {"station": "qinghe-wwtp-outlet", "parameter": "COD", "time": "2026-12-06T10:00:00+08:00", "value": 23.5},
///   {"station": "qinghe-wwtp-outlet", "parameter": "w21003", "time": "2026-12-06T10:00:00", "value": 1.2, "flag": "M"}
/// ]}
/// ```
///
/// A bare array of readings is accepted too. `time` is ISO 8601; without an offset it is the
/// station's local time; a number is seconds since the epoch. `flag` is an HJ 212 data flag (`N`
/// by default), `kind` one of `realtime` (the default), `minute`, `hour`, `day`. The parameter is a
/// catalogue id or alias, or an HJ 212 code. An item that cannot be read is an error naming its
/// index and field; the others are read.
public enum ReadingsJSON {
    /// An item that could not be read.
    public struct ItemError: Error, Sendable, Hashable, CustomStringConvertible {
        /// Its 0-based index in the list.
        public var index: Int
        /// What is wrong, naming the field: `time: '2026-13-01' is not an ISO 8601 time …`.
        public var message: String
        public var description: String { "readings[\(index)]: \(message)" }
    }

    /// A body that is not a list of readings at all.
    public struct BodyError: Error, Sendable, Hashable, CustomStringConvertible {
        /// What is wrong.
        public var message: String
        public var description: String { message }
    }

    /// What a body held.
    public struct Batch: Sendable {
        /// The readings that could be read.
        public var readings: [Reading] = []
        /// The index of each reading in the list.
        public var indices: [Int] = []
        /// The items that could not be read.
        public var errors: [ItemError] = []
        /// Items in the list.
        public var count = 0
    }

    /// Reads a body.
    /// - Parameters:
    ///   - data: the JSON.
    ///   - zone: the time zone of a station (for times without an offset); nil for unknown ones,
    ///     whose readings are then refused by ``ReadingIngest``.
    /// - Throws: ``BodyError`` when the body is not JSON, or not a list of readings.
    public static func parse(_ data: Data, zone: (String) -> TimeZone?) throws(BodyError) -> Batch {
        let items: [Item]
        do {
            let first = data.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) })
            if first == UInt8(ascii: "[") {
                items = try JSONDecoder().decode([Item].self, from: data)
            } else {
                items = try JSONDecoder().decode(Body.self, from: data).readings
            }
        } catch {
            throw BodyError(message: "the body is not {\"readings\": [...]} or a list of readings: \(Self.describe(error))")
        }
        var batch = Batch()
        batch.count = items.count
        var calendars: [String: ZoneCalendar] = [:]
        for (index, item) in items.enumerated() {
            do throws(ItemError) {
                let reading = try item.reading(index: index) { station in
                    guard let tz = zone(station) else { return nil }
                    if let c = calendars[tz.identifier] { return c }
                    let c = ZoneCalendar(tz)
                    calendars[tz.identifier] = c
                    return c
                }
                batch.readings.append(reading)
                batch.indices.append(index)
            } catch {
                batch.errors.append(error)
            }
        }
        return batch
    }

    private struct Body: Decodable {
        var readings: [Item]
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let c): c.underlyingError.map { "\($0)" } ?? c.debugDescription
        case DecodingError.keyNotFound(let key, _): "no key \(key.stringValue)"
        case DecodingError.typeMismatch(_, let c): "\(c.codingPath.map(\.stringValue).joined(separator: ".")): \(c.debugDescription)"
        default: "\(error)"
        }
    }
}
