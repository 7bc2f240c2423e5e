import Foundation
import Monitoring

/// Reads a message's payload into ``Reading``s with the shared parsers: ``ReadingsJSON`` (one
/// reading object, a list of them, or `{"readings": [...]}`) or ``LineProtocol`` (one point a
/// line). Items or lines that cannot be read are errors; the others are read.
enum MQTTPayloadReader {
    /// What a payload held.
    struct Payload {
        /// The readings that could be read.
        var readings: [Reading] = []
        /// The items or lines that could not be read, in words.
        var errors: [String] = []
        /// Why nothing at all could be read from it (not JSON, no readings), if so.
        var unreadable: String?
    }

    /// Reads `message` (its ``MQTTMessage/format``); `zone` gives a station's time zone (for JSON
    /// times without an offset), `now` the time of line protocol points without a timestamp.
    static func read(
        _ message: MQTTMessage, precision: LineProtocolPrecision, zone: (String) -> TimeZone?, now: Int64
    ) -> Payload {
        var payload = Payload()
        switch message.format {
        case .json:
            let batch: ReadingsJSON.Batch
            do {
                batch = try ReadingsJSON.parse(Data(message.payload), zone: zone)
            } catch {
                // One reading object alone: read as a list of one.
                guard message.payload.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) == UInt8(ascii: "{"),
                    let single = try? ReadingsJSON.parse(Data("[".utf8) + message.payload + Data("]".utf8), zone: zone)
                else {
                    payload.unreadable = error.message
                    return payload
                }
                batch = single
            }
            payload.readings = batch.readings
            payload.errors = batch.errors.map(\.description)
            if batch.count == 0 { payload.unreadable = "no readings" }
        case .lineProtocol:
            let batch = LineProtocol.parse(message.payload, precision: precision, now: now)
            payload.readings = batch.readings
            payload.errors = batch.errors.map(\.description)
            if batch.points == 0 { payload.unreadable = "no line protocol points" }
        }
        return payload
    }
}
