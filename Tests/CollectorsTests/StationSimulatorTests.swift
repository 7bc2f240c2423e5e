import Collectors
import EnvmonTesting
import Foundation
import Monitoring
import Testing

/// The frames of the simulated field units: clean HJ 212, local DataTime, plausible values.
@Suite struct StationSimulatorTests {
    static let start: Int64 = 1_735_660_800  // 2025-01-01T00:00:00+08:00

    func station(
        _ id: String = "s1", kind: StationKind = .dischargeOutlet, zone: String = "Asia/Shanghai", interval: Int = 3_600,
        parameters: [StationParameter]? = nil
    ) -> Station {
        var s = TestStations.station(
            id, kind: kind, zone: zone, interval: interval,
            parameters: kind.medium == .water ? ["COD", "NH3-N", "pH", "Q-water"] : kind == .stack ? ["Dust", "SO2", "O2"] : ["PM2.5", "NO2", "O3", "CO"])
        s.mn = "MN-\(id)"
        s.password = "pw\(id)"
        if let parameters { s.parameters = parameters }
        if kind == .dischargeOutlet {
            s.parameters[0].limits = [Limit(basis: .day, max: 50)]
            s.parameters[2].limits = [Limit(basis: .day, max: 9, min: 6)]
        }
        return s
    }

    /// The wall time at `t` in `zone`, by Foundation's calendar (independent of ZoneCalendar).
    func wallTime(_ t: Int64, _ zone: String) -> CivilTime {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: zone)!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: TimeInterval(t)))
        return CivilTime(year: c.year!, month: c.month!, day: c.day!, hour: c.hour!, minute: c.minute!, second: c.second!)
    }

    @Test func framesDecodeCleanWithTheStationsHeader() throws {
        let st = station()
        var sim = try StationSimulator(st, seed: 7, start: Self.start, flags: .typical)
        var qns: Set<String> = []
        for i in 0..<200 {
            let frame = try sim.nextFrame(sentAt: 1_735_700_000_000 + Int64(i / 3))  // several frames per millisecond
            let d = HJ212Decoder.decode(frame.bytes)
            #expect(d.isClean, "\(d.errors)")
            #expect(d.crcOK && d.lengthOK && d.frame.terminator == .crlf)
            #expect(d.deviations.isEmpty)
            #expect(d.st == "32" && d.cn == "2011" && d.flag == 5 && d.ackRequired && d.version == .hj2017)
            #expect(d.mn == "MN-s1" && d.pw == "pws1")
            #expect(d.qn == frame.qn && frame.qn.count == 17 && frame.qn.allSatisfy(\.isNumber))
            #expect(qns.insert(frame.qn).inserted, "QN \(frame.qn) repeated")
            #expect(d.dataTime == frame.dataTime && d.dataTimeMilliseconds == nil)
            #expect(frame.instant == Self.start + Int64(i) * 3_600)
            // Every parameter with its 2017 code, an Rtd and a Flag.
            #expect(d.readings.map(\.code) == ["w01018", "w21003", "w01001", "w00000"])
            for (reading, sent) in zip(d.readings, frame.readings) {
                #expect(reading.parameter == sent.parameter)
                #expect(reading[.rtd] != nil && reading.flag == sent.flag)
                #expect(reading.values.contains { $0.field == .flag })
            }
        }
        // The QNs are the local send time: 2025-01-01T10:53:20.000+08:00 for 1_735_700_000_000 ms.
        var fresh = try StationSimulator(st, seed: 7, start: Self.start)
        #expect(fresh.qn(sentAt: 1_735_700_000_123) == "20250101105320123")
        #expect(fresh.qn(sentAt: 1_735_700_000_123) == "20250101105320124")
        #expect(fresh.qn(sentAt: 1_735_700_000_000) == "20250101105320125")
    }

    @Test(arguments: ["Asia/Shanghai", "America/New_York", "Europe/Berlin", "Asia/Kolkata"])
    func dataTimeIsTheStationsLocalTimeAndTheCollectorStoresTheSentValues(zone: String) throws {
        let st = station("z", zone: zone, interval: 600)
        var sim = try StationSimulator(st, seed: 3, start: 1_710_000_000)  // March 2024, across the US DST change
        let ingest = HJ212Ingest(station: st)
        for _ in 0..<500 {
            let frame = try sim.nextFrame(sentAt: 1_710_000_000_000)
            let decoded = HJ212Decoder.decode(frame.bytes)
            #expect(decoded.dataTime == wallTime(frame.instant, zone))
            let result = ingest.samples(from: decoded, now: frame.instant)
            #expect(result.failure == nil && result.rejections.isEmpty, "\(result.rejections)")
            #expect(result.samples.map(\.time) == Array(repeating: frame.instant, count: frame.readings.count))
            #expect(result.samples.map(\.value) == frame.readings.map(\.value))
            #expect(result.samples.map(\.flag) == frame.readings.map(\.flag))
        }
    }

    @Test func aRepeatedWallTimeIsSentOnce() throws {
        // 2024-11-03 01:00–02:00 happens twice in New York; a field unit on local time sends it once.
        let st = station("ny", zone: "America/New_York", interval: 900)
        var sim = try StationSimulator(st, seed: 1, start: 1_730_606_400)  // 2024-11-03T00:00-04:00
        var times: [CivilTime] = []
        var instants: [Int64] = []
        let ingest = HJ212Ingest(station: st)
        for _ in 0..<16 {
            let frame = try sim.nextFrame(sentAt: 0)
            times.append(frame.dataTime)
            instants.append(frame.instant)
            #expect(ingest.samples(from: HJ212Decoder.decode(frame.bytes), now: frame.instant).samples.first?.time == frame.instant)
        }
        #expect(Set(times).count == times.count)
        #expect(times.first == CivilTime(year: 2024, month: 11, day: 3, hour: 0))
        // 00:00 … 01:45 (first pass), then 02:00 … 03:45: four quarter hours skipped.
        #expect(times[8] == CivilTime(year: 2024, month: 11, day: 3, hour: 2))
        #expect(instants[8] - instants[7] == 900 + 3_600)
    }

    @Test func valuesStayInTheRangeAroundThePartOfTheLimitAndUseTheReportedUnit() throws {
        var st = station()
        // The device sends Q in m³/h; the store keeps L/s.
        st.parameters[3].reportedUnit = .cubicMetrePerHour
        let model = try SimulatedStation(st, seed: 11)
        let cod = model.parameters[0]
        #expect(cod.level >= 0.3 * 50 && cod.level <= 0.6 * 50)
        let ph = model.parameters[2]
        #expect(ph.level >= 7.2 && ph.level <= 7.8)
        var sim = try StationSimulator(st, seed: 11, start: Self.start)
        var flows: [Double] = []
        for _ in 0..<24 * 30 {
            let frame = try sim.nextFrame(sentAt: 0)
            for (r, p) in zip(frame.readings, st.parameters) {
                #expect(p.range.contains(r.value))
            }
            #expect(frame.readings[0].value < 50 * 1.5)
            #expect((6.5...8.5).contains(frame.readings[2].value))
            let q = frame.readings[3]
            #expect(abs(Double(q.text)! / 3.6 - q.value) < 1e-9 * q.value)  // sent in m³/h, stored in L/s
            flows.append(q.value)
        }
        let meanFlow = flows.reduce(0, +) / Double(flows.count)
        #expect(meanFlow > 300 && meanFlow < 700, "typical WWTP outflow, about 500 L/s")
    }

    @Test func theDiurnalPatternPeaksWhereItShould() throws {
        let air = station("air", kind: .ambientAir, interval: 3_600)
        var sim = try StationSimulator(air, seed: 5, start: Self.start)
        var byHour: [String: [Int: [Double]]] = [:]
        for _ in 0..<24 * 60 {
            let frame = try sim.nextFrame(sentAt: 0)
            for r in frame.readings { byHour[r.parameter, default: [:]][frame.dataTime.hour, default: []].append(r.value) }
        }
        func mean(_ p: String, _ h: Int) -> Double { byHour[p]![h]!.reduce(0, +) / Double(byHour[p]![h]!.count) }
        #expect(mean("O3", 15) > 1.5 * mean("O3", 4), "ozone peaks late in the afternoon")
        #expect(mean("O3", 16) > mean("O3", 10))
        #expect(mean("NO2", 8) > 1.3 * mean("NO2", 14), "traffic NO2 peaks in the morning rush")
        #expect(mean("NO2", 20) > 1.3 * mean("NO2", 2), "and in the evening")
        #expect(mean("PM2.5", 8) > mean("PM2.5", 14))

        var water = try StationSimulator(station(), seed: 5, start: Self.start)
        var cod: [Int: [Double]] = [:]
        for _ in 0..<24 * 60 {
            let frame = try water.nextFrame(sentAt: 0)
            cod[frame.dataTime.hour, default: []].append(frame.readings[0].value)
        }
        let hourly = cod.values.map { $0.reduce(0, +) / Double($0.count) }
        #expect(hourly.max()! / hourly.min()! < 1.25, "water concentrations are flat-ish")
    }

    @Test func hourDataCarriesMinAvgMaxOnTheHour() throws {
        let st = station("stack", kind: .stack, interval: 60)
        var sim = try StationSimulator(st, kind: .hour, seed: 2, start: 0)
        sim.seek(to: sim.alignedStart(atOrBefore: Self.start + 1_234))
        #expect(sim.cursor == Self.start)
        #expect(sim.model.cn == "2061" && sim.model.st == "31" && sim.model.step == 3_600)
        for _ in 0..<48 {
            let frame = try sim.nextFrame(sentAt: 0)
            let d = HJ212Decoder.decode(frame.bytes)
            #expect(d.isClean && d.cn == "2061")
            #expect(frame.dataTime.minute == 0 && frame.dataTime.second == 0)
            for reading in d.readings {
                let (lo, avg, hi) = (reading[.min]!, reading[.avg]!, reading[.max]!)
                #expect(lo <= avg && avg <= hi)
                #expect(reading[.rtd] == nil)
            }
            #expect(d.readings.map { $0[.avg]! } == frame.readings.map(\.value))
        }
        var minute = try StationSimulator(station("m", interval: 300), kind: .minute, seed: 2)
        #expect(minute.model.cn == "2051" && minute.model.step == 300)
        #expect(HJ212Decoder.decode(try minute.nextFrame(sentAt: 0).bytes).isClean)
    }

    @Test func startEndingAtNowPutsTheLastFrameInTheCurrentPeriod() throws {
        var sim = try StationSimulator(station(interval: 3_600), seed: 1)
        let now = Self.start + 5 * 3_600 + 1_000
        sim.seek(to: sim.startEnding(at: now, count: 6))
        var last: Int64 = 0
        for _ in 0..<6 { last = try sim.nextFrame(sentAt: 0).instant }
        #expect(last == Self.start + 5 * 3_600)
    }

    @Test func realTimeFramesAreWhatTheStrictEncoderMakes() throws {
        // The simulator writes real-time frames on a fast path of its own; they must be the
        // encoder's bytes for the same header and values, flags and all.
        var st = station()
        st.password = "p/w-1"
        var sim = try StationSimulator(st, kind: .realtime, seed: 5, start: Self.start, flags: DeviceFlagRates(maintenance: 0.2, fault: 0.2))
        for i in 0..<300 {
            let frame = try sim.nextFrame(sentAt: 1_735_700_000_000 + Int64(i * 997))
            let values = frame.readings.map { HJ212Value(code: $0.code, field: .rtd, text: $0.text, flag: $0.flag) }
            let header = HJ212Header(qn: frame.qn, st: sim.model.st, cn: "2011", pw: "p/w-1", mn: "MN-s1", flag: 5)
            let strict = try HJ212Encoder.frame(header, cp: HJ212Encoder.cp(dataTime: frame.dataTime, values: values))
            #expect(frame.bytes == strict, "\(String(decoding: frame.bytes, as: UTF8.self)) vs \(String(decoding: strict, as: UTF8.self))")
        }
        // A station whose password cannot go in a header is refused when a frame is made, as before.
        var bad = station()
        bad.password = "a;b"
        var refused = try StationSimulator(bad, kind: .realtime, seed: 1, start: Self.start)
        #expect(throws: CollectorError.self) { try refused.nextFrame(sentAt: 0) }
    }

    @Test func framesWrittenStraightIntoBytesAreTheWholeFrames() throws {
        // The load generator's path (no readings, no Strings) must send what nextFrame sends:
        // the same bytes, QN and flag, frame after frame, across flags, clamping and a QN bump.
        var st = station()
        st.password = "p/w-1"
        let flags = DeviceFlagRates(maintenance: 0.2, fault: 0.2)
        var whole = try StationSimulator(st, kind: .realtime, seed: 5, start: Self.start, flags: flags)
        var lean = try StationSimulator(st, kind: .realtime, seed: 5, start: Self.start, flags: flags)
        var seen = Set<DataFlag>()
        for i in 0..<300 {
            let sentAt = 1_735_700_000_000 + Int64((i / 2) * 997)  // pairs at the same millisecond: QN bumped
            let a = try whole.nextFrame(sentAt: sentAt)
            let b = try lean.nextRealtimeFrame(sentAt: sentAt)
            #expect(b.bytes == a.bytes, "\(String(decoding: b.bytes, as: UTF8.self)) vs \(String(decoding: a.bytes, as: UTF8.self))")
            #expect(b.qn == a.qn && b.instant == a.instant && b.flag == a.readings[0].flag)
            seen.insert(b.flag)
        }
        #expect(seen.count > 1)
        // Minute data has no such path: refused, not sent wrong.
        var minute = try StationSimulator(station("m", interval: 300), kind: .minute, seed: 2)
        #expect(throws: CollectorError.self) { try minute.nextRealtimeFrame(sentAt: 0) }
    }

    @Test func theSameSeedGivesTheSameFramesAndAnotherSeedOthers() throws {
        var a = try StationSimulator(station(), seed: 9, start: Self.start, flags: .typical)
        var b = try StationSimulator(station(), seed: 9, start: Self.start, flags: .typical)
        var c = try StationSimulator(station(), seed: 10, start: Self.start, flags: .typical)
        var differ = 0
        for _ in 0..<50 {
            let (fa, fb, fc) = (try a.nextFrame(sentAt: 1), try b.nextFrame(sentAt: 1), try c.nextFrame(sentAt: 1))
            #expect(fa.bytes == fb.bytes)
            if fa.readings.map(\.text) != fc.readings.map(\.text) { differ += 1 }
        }
        #expect(differ == 50)
        // A frame for an instant does not depend on what was made before it.
        let later = try StationSimulator(station(), seed: 9).readings(at: Self.start + 49 * 3_600)
        #expect(later == a.readings(at: Self.start + 49 * 3_600))
    }

    @Test func aStationWithoutMNCannotBeSimulated() {
        var st = station()
        st.mn = nil
        #expect(throws: CollectorError.self) { try StationSimulator(st, seed: 1) }
    }

    @Test func fixedDecimalsAgreeWithStringArithmetic() {
        // The formatting as first written, with String operations: the specification of the fast one.
        func reference(_ value: Double, _ decimals: Int) -> String {
            var scale = 1.0
            for _ in 0..<abs(decimals) { scale *= 10 }
            if decimals < 0 { scale = 1 / scale }
            let scaled = (value * scale).rounded()
            guard scaled.isFinite, abs(scaled) < 9e17 else { return "0" }
            var n = Int64(scaled)
            let negative = n < 0
            if negative { n = -n }
            var digits = String(n)
            if decimals > 0 {
                if digits.count <= decimals { digits = String(repeating: "0", count: decimals - digits.count + 1) + digits }
                digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -decimals))
            }
            return negative && n != 0 ? "-" + digits : digits
        }
        var rng = SystemRandomNumberGenerator()
        var values: [Double] = [0, -0.0, 0.5, -0.5, 9.999, 1e17, -1e17, 9e17, .nan, .infinity, 123_456_789.987_654]
        for _ in 0..<5_000 {
            let magnitude = Double.random(in: -6...12, using: &rng)
            values.append((Bool.random(using: &rng) ? 1 : -1) * Double.random(in: 1..<10, using: &rng) * pow(10, magnitude))
        }
        for value in values {
            for decimals in -2...8 {
                #expect(SimulatedParameter.fixed(value, decimals: decimals) == reference(value, decimals), "\(value), \(decimals) decimals")
            }
        }
    }

    @Test func fixedDecimals() {
        #expect(SimulatedParameter.fixed(12.345, decimals: 2) == "12.35")
        #expect(SimulatedParameter.fixed(0.0004, decimals: 3) == "0.000")
        #expect(SimulatedParameter.fixed(0.05, decimals: 4) == "0.0500")
        #expect(SimulatedParameter.fixed(-1.5, decimals: 1) == "-1.5")
        #expect(SimulatedParameter.fixed(-0.01, decimals: 1) == "0.0")
        #expect(SimulatedParameter.fixed(1_234.56, decimals: 0) == "1235")
    }
}

/// The simulator reads its 9014 replies on a fast path; it must find the same `QN` the decoder
/// finds, and give up (to the decoder) on anything else.
@Suite struct DataReplyScanTests {
    @Test func findsTheQNOfDataRepliesAndNothingElse() throws {
        var st = TestStations.station("s1", parameters: ["PM2.5", "SO2"])
        st.mn = "MN-s1"
        st.password = "pws1"
        var sim = try StationSimulator(st, seed: 3, start: 1_735_660_800)
        for i in 0..<50 {
            let frame = try sim.nextFrame(sentAt: 1_735_700_000_000 + Int64(i))
            let decoded = HJ212Decoder.decode(frame.bytes)
            let reply = try #require(try HJ212Encoder.reply(to: decoded))
            #expect(DataReplyScan.qn(ofDataReply: reply) == frame.qn)
            #expect(DataReplyScan.qn(ofDataReply: reply) == HJ212Decoder.decode(reply).qn)
            // A flipped byte in the segment breaks the CRC: no answer from the fast path.
            var broken = reply
            broken[10] ^= 0x01
            #expect(DataReplyScan.qn(ofDataReply: broken) == nil)
            // The frame itself (CN 2011) is no data reply.
            #expect(DataReplyScan.qn(ofDataReply: frame.bytes) == nil)
            #expect(DataReplyScan.qn(ofDataReply: Array(reply.prefix(20))) == nil)
        }
        let notification = try HJ212Encoder.notificationReply(to: HJ212Decoder.decode(try sim.nextFrame(sentAt: 0).bytes))
        #expect(DataReplyScan.qn(ofDataReply: notification) == nil)
    }
}
