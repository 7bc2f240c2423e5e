@testable import Collectors
import EnvmonTesting
import Foundation
import Monitoring
import Testing

/// Readings checked against the stations as HJ 212 values are, with the same reason codes.
@Suite struct ReadingIngestTests {
    static let now: Int64 = 1_796_515_200
    static let water: Station = {
        var s = TestStations.station("outlet", kind: .dischargeOutlet, parameters: ["COD", "NH3-N"])
        // The unit reports NH3-N in µg/L; it is stored in mg/L.
        s.parameters[1].reportedUnit = .microgramPerLitre
        return s
    }()
    static let registry = TestStations.registry(water)

    @Test func aReadingByIdAliasOrHJ212CodeBecomesASampleOfItsSeries() {
        var ingest = ReadingIngest(stations: Self.registry)
        let readings = [
            Reading(station: "outlet", parameter: "COD", time: Self.now - 60, value: 23.5),
            Reading(station: "outlet", parameter: "w01018", kind: .hour, time: Self.now - 3_600, value: 20, flag: .calibration),
            Reading(station: "outlet", parameter: "nh3-n", time: Self.now - 60, value: 1_200),
        ]
        let result = ingest.samples(from: readings, now: Self.now)
        #expect(result.refusals.isEmpty)
        #expect(
            result.samples == [
                Sample(series: SeriesKey(station: "outlet", parameter: "COD", kind: .realtime), time: Self.now - 60, value: 23.5),
                Sample(series: SeriesKey(station: "outlet", parameter: "COD", kind: .hour), time: Self.now - 3_600, value: 20, flag: .calibration),
                Sample(series: SeriesKey(station: "outlet", parameter: "NH3-N", kind: .realtime), time: Self.now - 60, value: 1.2),
            ])
        #expect(result.origins == [0, 1, 2])
    }

    @Test func eachFaultIsRefusedWithHJ212sReasonCode() {
        var ingest = ReadingIngest(stations: Self.registry)
        let readings = [
            Reading(station: "nowhere", parameter: "COD", time: Self.now, value: 1),
            Reading(station: "outlet", parameter: "w99999", time: Self.now, value: 1),
            Reading(station: "outlet", parameter: "PM2.5", time: Self.now, value: 1),
            Reading(station: "outlet", parameter: "COD", time: Self.now, value: .nan),
            Reading(station: "outlet", parameter: "COD", time: Self.now, value: -5),
            Reading(station: "outlet", parameter: "COD", time: 0, value: 1),
            Reading(station: "outlet", parameter: "COD", time: Self.now + 7_200, value: 1),
            Reading(station: "", parameter: "COD", time: Self.now, value: 1),
            Reading(station: "outlet", parameter: "COD", time: Self.now, value: 5),
        ]
        let result = ingest.samples(from: readings, now: Self.now)
        #expect(result.samples.map(\.value) == [5] && result.origins == [8])
        #expect(result.refusals.map(\.index) == Array(0...7))
        #expect(
            result.refusals.map(\.reason.code) == [
                "unknown_station", "unknown_code", "not_configured", "not_a_number", "out_of_range", "bad_time", "bad_time", "unknown_station",
            ])
        let messages = result.refusals.map(\.message)
        #expect(messages[0] == "unknown station 'nowhere'")
        #expect(messages[1] == "w99999: not in the parameter catalogue")
        #expect(messages[2] == "PM2.5 is not configured at outlet")
        #expect(messages[4].contains("outside the instrument range"))
        #expect(messages[5].contains("behind the collector's clock (max_past 400 days)"), "\(messages[5])")
        #expect(messages[6].contains("ahead of the collector's clock"), "\(messages[6])")
        #expect(messages[7] == "the reading names no station")
        // One clock fault per station and batch, for the rule engine's clock rules.
        #expect(result.clockFaults.map(\.kind) == [.behind])
    }

    @Test func theRangeIsCheckedInTheStoredUnit() {
        var ingest = ReadingIngest(stations: Self.registry)
        let range = Self.water.parameters[1].range
        let over = (range.upperBound + 1) * 1_000  // µg/L
        let result = ingest.samples(from: [Reading(station: "outlet", parameter: "NH3-N", time: Self.now, value: over)], now: Self.now)
        #expect(result.refusals.map(\.reason) == [.outOfRange])
        #expect(result.refusals.first?.message.contains("mg/L") == true)
    }
}

extension ReadingIngestTests {
    /// A reading that names its unit is converted from it, not from the station's reported unit.
    @Test func aReadingInItsOwnUnitIsConvertedFromIt() {
        var ingest = ReadingIngest(stations: Self.registry)
        let result = ingest.samples(
            from: [
                Reading(station: "outlet", parameter: "NH3-N", time: Self.now, value: 1.2, unit: .milligramPerLitre),
                Reading(station: "outlet", parameter: "NH3-N", time: Self.now, value: 1.2, unit: .percent),
            ], now: Self.now)
        #expect(result.samples.map(\.value) == [1.2])
        #expect(result.refusals.map(\.reason) == [.notANumber])
    }
}
