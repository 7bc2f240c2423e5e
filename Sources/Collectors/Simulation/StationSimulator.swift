public import Monitoring

/// Produces the frames a station's field unit sends for simulated instants: pure, seeded, no I/O.
///
/// ```swift
/// var simulator = try StationSimulator(station, kind: .realtime, seed: 1, start: start,
///                                      episodes: episodes, flags: .typical)
/// let frame = try simulator.nextFrame(sentAt: nowMilliseconds)   // CN 2011, Flag=5, DataTime local
/// send(frame.bytes)
/// ```
///
/// * Simulated time starts at `start` and moves by ``SimulatedStation/step`` per frame. A wall time
///   that the station's zone repeats (clocks going back) is sent once, at its first instant, as a
///   field unit on local time would; the collector reads such a time as its first instant too.
/// * `DataTime` is the instant in the station's local time; `QN` is the local send time with
///   milliseconds, bumped by a millisecond when needed so that it is unique per station.
/// * Values: the parameter's base level × its daily cycle × a factor per local day (up to ± 10 %) ×
///   noise (normal, clipped at 3 σ) × the factors of the episodes in force, clamped into the
///   instrument range. Every draw is a hash of (seed, station, parameter, instant): a frame for
///   an instant is the same whenever it is made.
/// * Minute, hour and day data carry `Min`, `Avg` and `Max` of six sub-samples of the period,
///   `DataTime` being the period's start.
/// * Not `Sendable`: it holds the station's ``ZoneCalendar`` cache.
public struct StationSimulator {
    /// The station's model.
    public let model: SimulatedStation
    /// The episodes that concern this station.
    public let episodes: [Episode]
    /// The device-flag rates.
    public let flags: DeviceFlagRates
    /// The next instant ``nextFrame(sentAt:)`` sends.
    public private(set) var cursor: Int64
    private let calendar: ZoneCalendar
    private var lastQN: Int64 = .min
    /// The fast path of real-time frames, or why the station's header cannot be sent.
    private let realtimeWriter: Result<RealtimeFrameWriter, any Error>

    /// Number of sub-samples behind each average.
    public static let subSamples = 6

    /// Creates a simulator.
    ///
    /// - Parameters:
    ///   - station: the station; it needs an MN.
    ///   - kind: real-time (CN 2011), minute (2051), hour (2061) or day (2031) data.
    ///   - seed: the seed of every draw.
    ///   - start: the first simulated instant, seconds since the epoch; see
    ///     ``alignedStart(atOrBefore:)`` and ``startEnding(at:count:)`` to choose one.
    ///   - episodes: the episodes; those of other stations are ignored.
    ///   - flags: the device-flag rates.
    /// - Throws: ``CollectorError`` when the station has no MN.
    public init(
        _ station: Station, kind: SeriesKind = .realtime, seed: UInt64, start: Int64 = 0, episodes: [Episode] = [],
        flags: DeviceFlagRates = .none
    ) throws {
        model = try SimulatedStation(station, kind: kind, seed: seed)
        self.episodes = episodes.filter { $0.station == nil || $0.station == station.id }
        self.flags = flags
        calendar = ZoneCalendar(station.timeZone)
        cursor = start
        let model = self.model
        realtimeWriter = Result { try RealtimeFrameWriter(model: model) }
    }

    /// The latest period start at or before `t`: periods are aligned on the station's local clock
    /// (whole minutes, hours, days) when the step divides a day.
    public func alignedStart(atOrBefore t: Int64) -> Int64 {
        let step = model.step
        guard 86_400 % step == 0 else { return t - ((t % step) + step) % step }
        let local = t + Int64(calendar.offset(at: t))
        let alignedLocal = local - ((local % step) + step) % step
        let instant = calendar.firstInstant(ofLocal: alignedLocal)
        return instant <= t ? instant : instant - step
    }

    /// The start that makes `count` frames end at the period holding `now`: the latest aligned
    /// start minus `count - 1` steps. The collector refuses `DataTime`s far in the future, so a
    /// time-compressed run should end, not begin, at the present.
    public func startEnding(at now: Int64, count: Int) -> Int64 {
        alignedStart(atOrBefore: now) - Int64(Swift.max(0, count - 1)) * model.step
    }

    /// Moves the cursor: the next frame is for `instant`.
    public mutating func seek(to instant: Int64) { cursor = instant }

    /// The next instant to send, skipping wall times the zone repeats; advances the cursor.
    public mutating func nextInstant() -> Int64 {
        while true {
            let t = cursor
            cursor += model.step
            if !isRepeatedWallTime(t) { return t }
        }
    }

    /// Whether `t` shows a local wall time that an earlier instant already showed.
    public func isRepeatedWallTime(_ t: Int64) -> Bool {
        if case .ambiguous(let first, _) = calendar.resolve(calendar.civil(at: t)) { return t != first }
        return false
    }

    /// The frame for the next instant (see ``nextInstant()``).
    public mutating func nextFrame(sentAt milliseconds: Int64) throws -> SimulatedFrame {
        let instant = nextInstant()
        return try frame(at: instant, sentAt: milliseconds)
    }

    /// The next real-time frame's bytes and `QN` (see ``nextInstant()``), its values written
    /// straight into the frame: no ``SimulatedReading`` and no String per value, where building
    /// and freeing them was a fifth of the load generator's CPU. Byte for byte what
    /// ``nextFrame(sentAt:)`` sends for the same instant and send time (a test checks).
    /// - Throws: ``CollectorError`` when the station's kind is not real-time data, or its MN or
    ///   password cannot be sent in a header.
    public mutating func nextRealtimeFrame(sentAt milliseconds: Int64) throws -> SentFrame {
        guard model.kind == .realtime else {
            throw CollectorError(.encoding, "\(model.station.id): only real-time frames are written straight into bytes")
        }
        let writer = try realtimeWriter.get()
        let instant = nextInstant()
        let flag = self.flag(at: instant)
        let (qnTime, qnMilliseconds) = qnParts(sentAt: milliseconds)
        let local = LocalInstant(instant, offset: calendar.offset(at: instant))
        let bytes = writer.frame(qn: qnTime, milliseconds: qnMilliseconds, dataTime: calendar.civil(at: instant), count: model.parameters.count) {
            i, segment in
            let p = model.parameters[i]
            p.appendText(forStored: value(p, at: local, sub: 0), to: &segment)
            return flag
        }
        // The QN's 17 digits are the frame's bytes 9 to 25 (`##dddd` + `QN=`).
        let qn = String(decoding: bytes[9..<26], as: UTF8.self)
        return SentFrame(qn: qn, instant: instant, flag: flag, bytes: bytes)
    }

    /// The frame for `instant`, sent at `milliseconds` since the epoch (which makes its `QN`).
    /// - Throws: ``CollectorError`` (``CollectorError/Code/encoding``) when the station's MN or
    ///   password cannot be sent in a header.
    public mutating func frame(at instant: Int64, sentAt milliseconds: Int64) throws -> SimulatedFrame {
        let readings = self.readings(at: instant)
        let dataTime = calendar.civil(at: instant)
        if model.kind == .realtime {
            let writer = try realtimeWriter.get()
            let (qnTime, qnMilliseconds) = qnParts(sentAt: milliseconds)
            return SimulatedFrame(
                station: model.station.id, mn: model.mn, qn: HJ212Encoder.qn(qnTime, milliseconds: qnMilliseconds), cn: model.cn,
                instant: instant, dataTime: dataTime, readings: readings,
                bytes: writer.frame(qn: qnTime, milliseconds: qnMilliseconds, dataTime: dataTime, readings: readings))
        }
        // Minute, hour and day data: Min, Avg and Max through the encoder.
        var values: [HJ212Value] = []
        for r in readings {
            values.append(HJ212Value(code: r.code, field: .min, text: r.minText ?? r.text, flag: r.flag))
            values.append(HJ212Value(code: r.code, field: .avg, text: r.text, flag: r.flag))
            values.append(HJ212Value(code: r.code, field: .max, text: r.maxText ?? r.text, flag: r.flag))
        }
        let qn = qn(sentAt: milliseconds)
        let header = HJ212Header(qn: qn, st: model.st, cn: model.cn, pw: model.password, mn: model.mn, flag: 5)
        let bytes = try HJ212Encoder.frame(header, cp: HJ212Encoder.cp(dataTime: dataTime, values: values))
        return SimulatedFrame(
            station: model.station.id, mn: model.mn, qn: qn, cn: model.cn, instant: instant, dataTime: dataTime, readings: readings,
            bytes: bytes)
    }

    /// A `QN` for a frame sent at `milliseconds`: the station's local time, 17 digits, later than
    /// every `QN` this simulator made before.
    public mutating func qn(sentAt milliseconds: Int64) -> String {
        let (time, ms) = qnParts(sentAt: milliseconds)
        return HJ212Encoder.qn(time, milliseconds: ms)
    }

    /// The local time and milliseconds of the next `QN` (see ``qn(sentAt:)``).
    private mutating func qnParts(sentAt milliseconds: Int64) -> (CivilTime, Int) {
        let ms = Swift.max(milliseconds, lastQN == .min ? milliseconds : lastQN + 1)
        lastQN = ms
        let seconds = ms >= 0 ? ms / 1_000 : (ms - 999) / 1_000
        return (calendar.civil(at: seconds), Int(ms - seconds * 1_000))
    }

    // MARK: - Values

    /// The values of every parameter for `instant`, as sent and as they will be stored.
    public func readings(at instant: Int64) -> [SimulatedReading] {
        let flag = self.flag(at: instant)
        return model.parameters.map { p in
            if model.kind == .realtime {
                let text = p.text(forStored: value(p, at: instant, sub: 0))
                return SimulatedReading(parameter: p.id, code: p.code, value: stored(p, text), text: text, flag: flag)
            }
            let n = StationSimulator.subSamples
            var samples: [Double] = []
            for j in 0..<n {
                let t = Double(instant) + (Double(j) + 0.5) * Double(model.step) / Double(n)
                samples.append(value(p, at: Int64(t.rounded(.down)), sub: UInt64(j + 1)))
            }
            let mean = samples.reduce(0, +) / Double(n)
            let text = p.text(forStored: mean)
            return SimulatedReading(
                parameter: p.id, code: p.code, value: stored(p, text), text: text, minText: p.text(forStored: samples.min() ?? mean),
                maxText: p.text(forStored: samples.max() ?? mean), flag: flag)
        }
    }

    /// The unrounded value of a parameter at `instant`, in the stored unit (episodes included, not clamped).
    public func value(of parameter: String, at instant: Int64) -> Double? {
        model.parameters.first { $0.id == parameter }.map { value($0, at: instant, sub: 0) }
    }

    /// The data flag of the frame for `instant`: one draw for its device-state period.
    public func flag(at instant: Int64) -> DataFlag {
        let period = flags.period(of: instant)
        // Frame by frame (period == instant), the draw is keyed as before runs existed.
        return flags.flag(for: SimulationRandom.unit(model.seed, model.key, period == instant ? 4 : 6, UInt64(bitPattern: period)))
    }

    /// The product of the episode factors for a parameter at an instant.
    public func episodeFactor(_ parameter: String, at instant: Int64) -> Double {
        episodes.reduce(1) { f, e in e.applies(station: model.station.id, parameter: parameter, at: instant) ? f * e.factor : f }
    }

    /// An instant with its zone offset, looked up once for all the parameters of a frame.
    private struct LocalInstant {
        let instant: Int64
        let local: Int64

        init(_ instant: Int64, offset: Int) {
            self.instant = instant
            local = instant + Int64(offset)
        }
    }

    private func value(_ p: SimulatedParameter, at instant: Int64, sub: UInt64) -> Double {
        value(p, at: LocalInstant(instant, offset: calendar.offset(at: instant)), sub: sub)
    }

    private func value(_ p: SimulatedParameter, at at: LocalInstant, sub: UInt64) -> Double {
        let instant = at.instant
        let local = at.local
        let secondOfDay = ((local % 86_400) + 86_400) % 86_400
        let day = (local - secondOfDay) / 86_400
        let pk = SimulationRandom.key(p.id)
        let daily = 1 + p.dayToDay * (2 * SimulationRandom.unit(model.seed, model.key, pk, 2, UInt64(bitPattern: day)) - 1)
        let noise = 1 + p.noise * SimulationRandom.normal(model.seed, model.key, pk, 3, UInt64(bitPattern: instant), sub)
        let v = p.level * p.pattern.factor(atHour: Double(secondOfDay) / 3_600) * daily * Swift.max(0, noise)
        return v * episodeFactor(p.id, at: instant)
    }

    /// The value the collector stores for `text`: parsed as its decoder parses (not with
    /// `Double(_:)`, whose last digit could differ), times the unit factor.
    private func stored(_ p: SimulatedParameter, _ text: String) -> Double {
        var text = text
        let number = text.withUTF8 { HJ212Scan.parseNumber($0, 0, $0.count) }
        return (number ?? 0) * p.factorToStored
    }
}
