import Reports
import Testing

@Suite struct StationStatusTests {
    @Test func onlineUpToTwoIntervalsLateUpToSixThenOffline() {
        let now: Int64 = 1_000_000
        #expect(StationStatus(lastReading: now - 120, interval: 60, now: now) == .online)
        #expect(StationStatus(lastReading: now - 121, interval: 60, now: now) == .late)
        #expect(StationStatus(lastReading: now - 360, interval: 60, now: now) == .late)
        #expect(StationStatus(lastReading: now - 361, interval: 60, now: now) == .offline)
        #expect(StationStatus(lastReading: now - 4 * 3_600, interval: 3_600, now: now) == .late)
        #expect(StationStatus(lastReading: nil, interval: 60, now: now) == .offline)
        // A reading from the future (a sender's clock ahead) is not a silence.
        #expect(StationStatus(lastReading: now + 30, interval: 60, now: now) == .online)
    }
}
