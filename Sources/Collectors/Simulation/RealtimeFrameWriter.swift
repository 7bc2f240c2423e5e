import Monitoring

/// Writes a station's real-time frames (CN 2011) straight into bytes: the load generator's hot
/// path, where building each frame through ``HJ212Encoder`` (validating every token, one String
/// per item) was a third of the simulator's time.
///
/// The parts that never change (`ST`…`Flag`, each code's `-Rtd=` and `-Flag=`) are encoded once,
/// through the strict encoder, so a station it would refuse is refused here too; the frames are
/// byte for byte what ``HJ212Encoder/frame(_:cp:)`` makes of the same values (a test checks).
struct RealtimeFrameWriter {
    /// `ST=…;CN=…;PW=…;MN=…;Flag=5;CP=&&DataTime=`.
    private let header: [UInt8]
    /// `code-Rtd=` of each parameter, in the model's order.
    private let rtd: [[UInt8]]
    /// `,code-Flag=` of each parameter.
    private let flagItem: [[UInt8]]

    /// Encodes the fixed parts; throws what the strict encoder throws for the station's MN or PW.
    init(model: SimulatedStation) throws {
        let probe = HJ212Header(qn: "0", st: model.st, cn: model.cn, pw: model.password, mn: model.mn, flag: 5)
        // "QN=0;ST=…;Flag=5;CP=&&" + "DataTime=…" + "&&": keep what lies between "QN=0;" and the CP.
        let segment = Array(try HJ212Encoder.segment(probe, cp: "DataTime=20000101000000").utf8)
        header = Array(segment[5..<(segment.count - 16)])
        rtd = model.parameters.map { Array("\($0.code)-Rtd=".utf8) }
        flagItem = model.parameters.map { Array(",\($0.code)-Flag=".utf8) }
    }

    /// The frame: `QN` 17 digits of local send time, `DataTime` the instant's local time, and
    /// each reading's text and flag.
    func frame(qn: CivilTime, milliseconds: Int, dataTime: CivilTime, readings: [SimulatedReading]) -> [UInt8] {
        frame(qn: qn, milliseconds: milliseconds, dataTime: dataTime, count: readings.count) { i, segment in
            segment.append(contentsOf: readings[i].text.utf8)
            return readings[i].flag
        }
    }

    /// The frame, each parameter's value written by `value` (the text of parameter `i`, in the
    /// model's order, appended to the segment; it returns the value's flag).
    func frame(
        qn: CivilTime, milliseconds: Int, dataTime: CivilTime, count: Int, value: (_ i: Int, _ segment: inout [UInt8]) -> DataFlag
    ) -> [UInt8] {
        var segment: [UInt8] = []
        segment.reserveCapacity(header.count + 40 + count * 40)
        segment.append(contentsOf: "QN=".utf8)
        Self.appendTime(qn, to: &segment)
        Self.appendDigits(milliseconds, width: 3, to: &segment)
        segment.append(UInt8(ascii: ";"))
        segment.append(contentsOf: header)
        Self.appendTime(dataTime, to: &segment)
        for i in 0..<count {
            segment.append(UInt8(ascii: ";"))
            segment.append(contentsOf: rtd[i])
            let flag = value(i, &segment)
            segment.append(contentsOf: flagItem[i])
            segment.append(contentsOf: flag.rawValue.utf8)
        }
        segment.append(contentsOf: "&&".utf8)
        return HJ212Encoder.framed(segment)
    }

    private static func appendTime(_ t: CivilTime, to out: inout [UInt8]) {
        appendDigits(t.year, width: 4, to: &out)
        appendDigits(t.month, width: 2, to: &out)
        appendDigits(t.day, width: 2, to: &out)
        appendDigits(t.hour, width: 2, to: &out)
        appendDigits(t.minute, width: 2, to: &out)
        appendDigits(t.second, width: 2, to: &out)
    }

    /// `n` (0 or more) in exactly `width` digits, zero-padded.
    private static func appendDigits(_ n: Int, width: Int, to out: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        var rest = n
        while divisor > 0 {
            out.append(UInt8(ascii: "0") + UInt8((rest / divisor) % 10))
            rest %= divisor
            divisor /= 10
        }
    }
}
