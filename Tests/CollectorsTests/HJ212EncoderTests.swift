@testable import Collectors
import Monitoring
import Testing

@Suite struct HJ212EncoderTests {
    static func text(_ bytes: [UInt8]?) -> String? { bytes.map { String(decoding: $0, as: UTF8.self) } }

    @Test func framesTheOfficialExample() throws {
        let frame = try HJ212Encoder.frame(segment: HJ212CRCTests.official)
        #expect(frame == HJ212Vector.row(1).packet)
    }

    @Test func buildsSegmentsInTheStandardOrder() throws {
        let t = CivilTime(year: 2024, month: 1, day: 2, hour: 3, minute: 4, second: 5)
        let cp = try HJ212Encoder.cp(
            dataTime: t,
            values: [
                HJ212Value(code: "a34004", field: .rtd, text: "35", flag: .normal),
                HJ212Value(code: "a34002", field: .rtd, text: "50.0", flag: .maintenance),
                HJ212Value(code: "a34002", field: .zsRtd, text: "51"),
                HJ212Value(code: "w01018", field: .avg, text: "1"),
            ])
        #expect(cp == "DataTime=20240102030405;a34004-Rtd=35,a34004-Flag=N;a34002-Rtd=50.0,a34002-ZsRtd=51,a34002-Flag=M;w01018-Avg=1")
        let header = HJ212Header(qn: HJ212Encoder.qn(t, milliseconds: 7), st: "22", cn: "2011", pw: "123456", mn: "M1", flag: 7, pnum: 2, pno: 1)
        let segment = try HJ212Encoder.segment(header, cp: cp)
        #expect(segment.hasPrefix("QN=20240102030405007;ST=22;CN=2011;PW=123456;MN=M1;Flag=7;PNUM=2;PNO=1;CP=&&DataTime="))
        let d = HJ212Decoder.decode(try HJ212Encoder.frame(header, cp: cp))
        #expect(d.isClean && d.deviations.isEmpty && d.frame.pnum == 2 && d.frame.pno == 1 && d.isSplit && d.ackRequired)
        #expect(d.readings.map { "\($0.parameter!) \($0.flag?.rawValue ?? "-")" } == ["PM2.5 N", "PM10 M", "COD -"])
    }

    @Test func roundTripsEveryVector() throws {
        for v in HJ212Vector.all {
            let d = HJ212Decoder.decode(v.packet)
            let cp = try HJ212Encoder.cp(dataTime: d.dataTime, milliseconds: d.dataTimeMilliseconds, entries: d.entries, values: d.values)
            let again = HJ212Decoder.decode(try HJ212Encoder.frame(d.frame.header, cp: cp))
            #expect(again.isClean, "row \(v.row): \(again.errors)")
            #expect(again.frame.header == d.frame.header && again.values == d.values && again.entries == d.entries, "row \(v.row)")
            #expect(again.dataTime == d.dataTime && again.dataTimeMilliseconds == d.dataTimeMilliseconds)
            // Packets already in the standard's order come back byte for byte, with a corrected CRC and CR LF.
            if v.crcValid && !d.deviations.contains(.headerOrder) && ![14, 18].contains(v.row) {
                #expect(again.frame.segment == d.frame.segment, "row \(v.row)")
            }
        }
    }

    @Test func rejectsWhatItCannotSendCorrectly() {
        let ok = HJ212Header(st: "22", cn: "2011", mn: "M")
        func fails(_ body: () throws -> Any) -> Bool {
            do {
                _ = try body()
                return false
            } catch let error as CollectorError {
                return error.code == .encoding
            } catch {
                return false
            }
        }
        #expect(fails { try HJ212Encoder.segment(HJ212Header(st: "22", cn: "2011", mn: "M;X"), cp: "") })
        #expect(fails { try HJ212Encoder.segment(HJ212Header(st: "22", cn: "201", mn: "M"), cp: "") })
        #expect(fails { try HJ212Encoder.segment(HJ212Header(st: nil, cn: "2011"), cp: "") })
        #expect(fails { try HJ212Encoder.segment(HJ212Header(qn: "2024-01", st: "22", cn: "2011"), cp: "") })
        #expect(fails { try HJ212Encoder.segment(HJ212Header(st: "22", cn: "2011", flag: 256), cp: "") })
        #expect(fails { try HJ212Encoder.segment(HJ212Header(st: "22", cn: "2011", flag: 4, pnum: 2, pno: 1), cp: "") })
        #expect(fails { try HJ212Encoder.segment(HJ212Header(st: "22", cn: "2011", flag: 6, pnum: 2, pno: 3), cp: "") })
        #expect(fails { try HJ212Encoder.segment(HJ212Header(st: "22", cn: "2011", flag: 6, pnum: 2), cp: "") })
        #expect(fails { try HJ212Encoder.segment(ok, cp: "a=1&&b=2") })
        #expect(fails { try HJ212Encoder.segment(ok, cp: "a=1\r\n") })
        #expect(fails { try HJ212Encoder.cp(values: [HJ212Value(code: "a;b", field: .rtd, text: "1")]) })
        #expect(fails { try HJ212Encoder.cp(values: [HJ212Value(code: "a", field: .other("x-y"), text: "1")]) })
        #expect(fails { try HJ212Encoder.cp(values: [HJ212Value(code: "a", field: .rtd, text: "1,2")]) })
        #expect(fails { try HJ212Encoder.cp(entries: [HJ212Entry(name: "", text: "1")]) })
        #expect(fails { try HJ212Encoder.frame(segment: "ST=22;CN=2011") })
        #expect(fails { try HJ212Encoder.frame(segment: "ST=22;CP=&&" + String(repeating: "a", count: 9_990) + "&&") })
        #expect(!fails { try HJ212Encoder.cp(values: [HJ212Value(code: "i11001", field: .info, text: "//a;b=c,d//")]) })
    }

    @Test func countsBytesNotCharacters() throws {
        let frame = try HJ212Encoder.frame(HJ212Header(st: "32", cn: "3020", mn: "M"), cp: "i11001-Info=//清洗管路//")
        let d = HJ212Decoder.decode(frame)
        #expect(d.isClean && d.frame.declaredLength == 54 && d.frame.segmentText.count == 46)
    }

    // MARK: - Replies (§6 "2017 reply packet shape")

    /// The official 1062 request with the PW the reference's computed replies use.
    static func request(flag: Int = 5) throws -> HJ212Decoded {
        let header = HJ212Header(qn: "20160801085857223", st: "32", cn: "1062", pw: "123456", mn: "010000A8900016F000169DC0", flag: flag)
        return HJ212Decoder.decode(try HJ212Encoder.frame(header, cp: "RtdInterval=30"))
    }

    @Test func replies2017MatchTheReference() throws {
        let r = try Self.request()
        #expect(Self.text(try HJ212Encoder.requestReply(to: r, .ready))
            == "##0094QN=20160801085857223;ST=91;CN=9011;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&QnRtn=1&&1B00\r\n")
        #expect(Self.text(try HJ212Encoder.executionReply(to: r, .success))
            == "##0095QN=20160801085857223;ST=91;CN=9012;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&ExeRtn=1&&6240\r\n")
        #expect(Self.text(try HJ212Encoder.notificationReply(to: r))
            == "##0087QN=20160801085857223;ST=91;CN=9013;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&&&2A80\r\n")
        // zblzbl1991's MapperTest reply to the ST=80 upload (the reference prints its CRC in lowercase).
        #expect(Self.text(try HJ212Encoder.dataReply(to: HJ212Decoder.decode(HJ212Vector.row(6).packet)))
            == "##0087QN=20201015123632010;ST=91;CN=9014;PW=123456;MN=410183160889201000212505;Flag=4;CP=&&&&F001\r\n")
        #expect(Self.text(try HJ212Encoder.requestReply(to: r, .crcError))?.contains("CP=&&QnRtn=9&&") == true)
        #expect(Self.text(try HJ212Encoder.executionReply(to: r, .noData))?.contains("CP=&&ExeRtn=100&&") == true)
    }

    @Test func replies2005PutQNInsideCP() throws {
        let upload = HJ212Decoder.decode(try HJ212Encoder.frame(
            HJ212Header(qn: "20040516010101001", st: "32", cn: "2051", pw: "123456", mn: "88888880000001", flag: 1), cp: "011-Avg=1"))
        #expect(Self.text(try HJ212Encoder.dataReply(to: upload)) == "##0049ST=91;CN=9014;CP=&&QN=20040516010101001;CN=2051&&5F00\r\n")
        #expect(Self.text(try HJ212Encoder.notificationReply(to: upload))?.contains("ST=91;CN=9013;PW=123456;MN=88888880000001;CP=&&QN=20040516010101001&&") == true)
        #expect(Self.text(try HJ212Encoder.requestReply(to: upload, .ready))?.contains("ST=91;CN=9011;PW=123456;MN=88888880000001;Flag=0;CP=&&QN=20040516010101001;QnRtn=1&&") == true)
        let split = HJ212Decoder.decode(try HJ212Encoder.frame(
            HJ212Header(qn: "20040516010101001", st: "32", cn: "2051", mn: "M", flag: 3, pnum: 2, pno: 1), cp: "011-Avg=1"))
        #expect(Self.text(try HJ212Encoder.dataReply(to: split))?.contains("CP=&&QN=20040516010101001;CN=2051;PNO=1;PNUM=2&&") == true)
    }

    @Test func replyPolicy() throws {
        let t = CivilTime(year: 2024, month: 5, day: 6, hour: 7, minute: 8, second: 9)
        #expect(try HJ212Encoder.reply(to: Self.request(flag: 4)) == nil)
        #expect(try HJ212Encoder.reply(to: Self.request(flag: 5)) != nil)
        // Bad CRC: no reply, unless the variant is accepted for this sender.
        let swapped = HJ212Decoder.decode(HJ212Vector.row(16).packet)
        #expect(try HJ212Encoder.reply(to: HJ212Decoder.decode(HJ212Vector.row(5).packet)) == nil)
        let calibrate = HJ212Decoder.decode(try HJ212Encoder.frame(HJ212Header(st: "22", cn: "1013", pw: "1", mn: "M", flag: 4), cp: ""))
        let reply = try #require(try HJ212Encoder.reply(to: calibrate, at: t))
        #expect(HJ212Decoder.decode(reply).frame.segmentText == "QN=20240506070809000;ST=91;CN=9013;PW=1;MN=M;Flag=4;CP=&&&&")
        #expect(try HJ212Encoder.reply(to: HJ212Decoder.decode(reply)) == nil)
        #expect(try HJ212Encoder.reply(to: swapped, accepting: [.hj212, .modbusSwapped]) == nil)  // 2005, no A bit
        let setTime = try HJ212Encoder.setTimeRequest(to: calibrate, systemTime: t, qn: HJ212Encoder.qn(t))
        #expect(Self.text(setTime)?.contains("ST=22;CN=1012;PW=1;MN=M;Flag=5;CP=&&SystemTime=20240506070809&&") == true)
    }
}
