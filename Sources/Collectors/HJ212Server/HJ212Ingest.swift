import Foundation
public import Monitoring

/// Turns a decoded HJ 212 upload into samples of one station's series: no I/O, no clock.
///
/// * The command says the kind: 2011 real-time (`Rtd`), 2051 minute, 2061 hour and 2031 day
///   averages (`Avg`, or `Rtd` when a device sends only that). Other commands hold no series.
/// * `DataTime` is the sender's local clock time, read in the station's zone and stored as UTC. A
///   time the zone skips is refused; one it repeats (clocks going back) is taken as the earlier.
/// * A `DataTime` outside [now − ``maxPast``, now + ``maxFuture``], or not a date at all, is a
///   fault of the station's clock (``Result/clockFault``): the frame holds nothing to store.
/// * Values arrive in the station's reported unit and are converted to its stored unit, then
///   checked against the instrument range; the sender's flag is kept (none means `N`).
/// * Not `Sendable`: it holds the station's ``ZoneCalendar`` cache; each connection makes its own.
/// * `ZsRtd`/`ZsAvg` (values corrected to the reference O2) are not stored: the rule engine corrects
///   from the station's own O2 series, so one computation holds for every device.
/// * A class: its holder (a connection's station entry) calls it per frame, and a struct there
///   was copied out per call, retaining every field of the station.
public final class HJ212Ingest {
    /// A value that was not stored, and why.
    public struct Rejection: Sendable, Hashable, CustomStringConvertible {
        /// The factor code as sent.
        public var code: String
        /// Why it was refused.
        public var reason: String
        public var description: String { "\(code): \(reason)" }
    }

    /// What an upload gave.
    public struct Result: Sendable {
        /// The series kind of the command, or `nil` for commands that hold no series.
        public var kind: SeriesKind?
        /// The samples to store.
        public var samples: [Sample] = []
        /// The first ``HJ212Ingest/listedRejections`` values refused, with their reasons;
        /// ``rejectedCount`` counts them all.
        public var rejections: [Rejection] = []
        /// The values refused (each refused code once), listed in ``rejections`` or not.
        public var rejectedCount = 0
        /// The values refused, by reason (only reasons with refusals are present).
        public var rejectedByReason: [HJ212Refusal: Int] = [:]
        /// Why the whole packet holds nothing to store, when it does not.
        public var failure: String?
        /// The code of ``failure``: ``HJ212Refusal/noDataTime`` or ``HJ212Refusal/badTime``.
        public var failureReason: HJ212Refusal?
        /// When the packet's `DataTime` is one no working clock gives; ``failure`` then says the same.
        public var clockFault: StationClockFault?

        /// Counts a refused value; lists it while the list is short. The texts are built only
        /// then: a frame of 30,000 unknown codes (`max_frame_bytes` raised) builds 16, not 30,000.
        mutating func refuse(_ why: HJ212Refusal, _ code: @autoclosure () -> String, _ reason: @autoclosure () -> String) {
            rejectedCount += 1
            rejectedByReason[why, default: 0] += 1
            if rejections.count < HJ212Ingest.listedRejections { rejections.append(Rejection(code: code(), reason: reason())) }
        }
    }

    /// How many refused values a ``Result`` lists with their reasons.
    public static let listedRejections = 16

    /// The station the packets come from.
    public let station: Station
    private let calendar: ZoneCalendar
    /// Seconds a `DataTime` may lie ahead of the collector's clock (a device clock set wrong).
    public let maxFuture: Int64
    /// Seconds a `DataTime` may lie behind the collector's clock: how far back a field unit may
    /// backfill what it buffered while the line was down. Older times are clock faults.
    public let maxPast: Int64
    private let targets: [String: SeriesTarget]

    /// Creates the ingest of one station.
    /// - Parameters:
    ///   - station: the station.
    ///   - calendar: its zone's calendar (made from the station's zone when `nil`).
    ///   - maxFuture: seconds a `DataTime` may lie ahead of the collector's clock.
    ///   - maxPast: seconds a `DataTime` may lie behind it (400 days, as ``HJ212ServerConfiguration/maxPast``).
    public init(station: Station, calendar: ZoneCalendar? = nil, maxFuture: Int64 = 3_600, maxPast: Int64 = 400 * 86_400) {
        self.station = station
        self.calendar = calendar ?? ZoneCalendar(station.timeZone)
        self.maxFuture = maxFuture
        self.maxPast = maxPast
        self.targets = SeriesTarget.targets(of: station)
    }

    /// The series kind an upload command holds, or `nil`.
    public static func kind(ofCommand command: Int) -> SeriesKind? {
        switch command {
        case 2011: .realtime
        case 2051: .minute
        case 2061: .hour
        case 2031: .day
        default: nil
        }
    }

    /// The samples of a decoded upload.
    /// - Parameters:
    ///   - decoded: the packet.
    ///   - now: the collector's clock, seconds since the epoch: `DataTime`s far from it are clock faults.
    public func samples(from decoded: HJ212Decoded, now: Int64) -> Result {
        guard let command = decoded.frame.command, let kind = Self.kind(ofCommand: command) else {
            return Result(kind: nil)
        }
        var result = Result(kind: kind)
        guard let time = time(of: decoded, now: now, into: &result) else { return result }
        let kindIndex = SeriesKind.allCases.firstIndex(of: kind)!
        // Straight over the values, without grouping them into readings (which allocates per
        // code): first the preferred field of each code, then the other one for codes that lack it.
        let preferred: HJ212Field = kind == .realtime ? .rtd : .avg
        let fallback: HJ212Field = kind == .realtime ? .avg : .rtd
        let values = decoded.values
        var taken: [String] = []
        // Unknown codes refused so far, each once: by key (exact for codes of up to 7 bytes), and
        // longer vendor codes by text. A set, not a list searched per code, which made a frame of
        // 30,000 unknown codes cost their square.
        var refusedKeys: Set<UInt64> = []
        var refusedLongCodes: Set<String> = []
        for pass in 0..<2 {
            let field = pass == 0 ? preferred : fallback
            for v in values where v.field == field {
                guard let parameter = v.parameter else {
                    let fresh = v.codeSpan.count <= 7 ? refusedKeys.insert(v.codeKey).inserted : refusedLongCodes.insert(v.code).inserted
                    if fresh { result.refuse(.unknownCode, v.code, "not in the parameter catalogue") }
                    continue
                }
                if taken.contains(parameter) { continue }
                taken.append(parameter)
                guard let target = targets[parameter] else {
                    result.refuse(.notConfigured, v.code, SeriesTarget.notConfiguredReason(parameter, station: station.id))
                    continue
                }
                let value: Double
                switch target.check(v.number) {
                case .stored(let stored): value = stored
                case .notANumber:
                    result.refuse(.notANumber, v.code, "\(v.field.name) '\(v.text)' is not a number")
                    continue
                case .outOfRange(let converted):
                    result.refuse(.outOfRange, v.code, target.outOfRangeReason(converted))
                    continue
                }
                let key = target.keys[kindIndex]
                result.samples.append(Sample(series: key, time: time, value: value, flag: v.flag ?? .normal))
            }
        }
        return result
    }

    /// The packet's `DataTime` in UTC, or `nil` with the failure (and the clock fault) set.
    private func time(of decoded: HJ212Decoded, now: Int64, into result: inout Result) -> Int64? {
        guard let local = decoded.dataTime else {
            if let text = decoded.dataTimeText {
                fault(.invalid, text, offset: nil, limit: nil, now: now, into: &result)
            } else {
                result.failure = "no DataTime"
                result.failureReason = .noDataTime
            }
            return nil
        }
        let sent = decoded.dataTimeText ?? HJ212Encoder.timeText(local)
        // Far outside the window whatever the zone says (offsets stay within a day): no zone
        // lookup for the year 1 or 1900, whose offsets are the zone's local mean time.
        let wall = local.secondsIfUTC
        let roughOffset = now + Int64(calendar.offset(at: now)) - wall
        if wall < now - maxPast - 86_400 {
            fault(.behind, sent, offset: roughOffset, limit: maxPast, now: now, into: &result)
            return nil
        }
        if wall > now + maxFuture + 86_400 {
            fault(.ahead, sent, offset: roughOffset, limit: maxFuture, now: now, into: &result)
            return nil
        }
        let time: Int64
        switch calendar.resolve(local) {
        case .unique(let t): time = t
        case .ambiguous(let first, _): time = first
        case .nonexistent:
            result.failure = "DataTime \(local) does not exist in \(station.timeZone.identifier)"
            result.failureReason = .badTime
            return nil
        }
        if time < now - maxPast {
            fault(.behind, sent, offset: now - time, limit: maxPast, now: now, into: &result)
            return nil
        }
        if time > now + maxFuture {
            fault(.ahead, sent, offset: now - time, limit: maxFuture, now: now, into: &result)
            return nil
        }
        return time
    }

    private func fault(
        _ kind: StationClockFault.Kind, _ sent: String, offset: Int64?, limit: Int64?, now: Int64, into result: inout Result
    ) {
        let fault = StationClockFault(station: station.id, kind: kind, sent: sent, offset: offset, limit: limit, receivedAt: now)
        result.clockFault = fault
        result.failure = fault.description
        result.failureReason = .badTime
    }
}
