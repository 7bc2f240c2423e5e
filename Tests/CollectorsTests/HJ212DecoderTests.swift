@testable import Collectors
import Monitoring
import Testing

/// The decoder's tolerance (§12) on hand-made packets.
@Suite struct HJ212DecoderTests {
    /// A well-framed packet around `segment`, optionally with a given CRC text and terminator.
    static func packet(_ segment: String, crc: String? = nil, length: String? = nil, terminator: String = "\r\n") -> [UInt8] {
        let bytes = Array(segment.utf8)
        let count = String(bytes.count)
        let len = length ?? String(repeating: "0", count: 4 - count.count) + count
        return Array("##\(len)".utf8) + bytes + Array((crc ?? HJ212CRC.hex(HJ212CRC.checksum(bytes))).utf8) + Array(terminator.utf8)
    }

    static let upload = "QN=20240101120000000;ST=22;CN=2011;PW=123456;MN=STATION01;Flag=5;CP=&&DataTime=20240101120000;a34004-Rtd=35,a34004-Flag=N&&"

    @Test func cleanPacket() {
        let d = HJ212Decoder.decode(Self.packet(Self.upload))
        #expect(d.isClean && d.deviations.isEmpty && d.crcOK && d.lengthOK)
        #expect(d.values.map(\.description) == ["a34004-Rtd=35", "a34004-Flag=N"])
        #expect(d.values[0].parameter == "PM2.5" && d.values[0].flag == .normal && d.values[0].number == 35)
    }

    @Test func headerFieldsInAnyOrderAndCase() {
        let seg = "CN=2011;mn=STATION01;Flag=4;ST=22;PW=123456;QN=20240101120000000;CP=&&a34004-Rtd=1&&"
        let d = HJ212Decoder.decode(Self.packet(seg))
        #expect(d.isClean && d.qn == "20240101120000000" && d.mn == "STATION01" && d.st == "22" && d.flag == 4)
        #expect(d.deviations == [.headerOrder])
    }

    @Test func errorsOfTheStandardsOwnExamples() {
        // C.19: `Flag=5CP=&&`; C.22: `QN=…,ST=32`.
        let d = HJ212Decoder.decode(Self.packet("QN=20160801085857534,ST=32;CN=2011;PW=123456;MN=M1;Flag=5CP=&&a-Rtd=1&&"))
        #expect(d.isClean && d.qn == "20160801085857534" && d.st == "32" && d.flag == 5)
        #expect(d.deviations == [.headerSeparator])
    }

    @Test func crcFormsAndTerminators() {
        let lower = HJ212Decoder.decode(Self.packet(HJ212CRCTests.official, crc: "1c80", terminator: "\n"))
        #expect(lower.crcOK && lower.isClean && lower.deviations == [.lowercaseCRC, .lfTerminator])
        let bare = HJ212Decoder.decode(Self.packet(Self.upload, terminator: ""))
        #expect(bare.isClean && bare.deviations == [.noTerminator])
        let cr = HJ212Decoder.decode(Self.packet(Self.upload, terminator: "\r"))
        #expect(cr.isClean && cr.frame.terminator == .cr)
        let spaced = HJ212Decoder.decode(Array("  \r\n".utf8) + Self.packet(Self.upload, terminator: "\r\n\r\n"))
        #expect(spaced.isClean && spaced.deviations == [.oddTerminator, .leadingBytes])
    }

    @Test func threeDigitCRCWithTheLeadingZeroDropped() throws {
        // Find a segment whose CRC starts with a zero digit.
        var seg = ""
        for n in 0..<10_000 {
            seg = "ST=22;CN=2011;PW=123456;MN=M;CP=&&a-Rtd=\(n)&&"
            if HJ212CRC.checksum(Array(seg.utf8)) < 0x1000 { break }
        }
        let crc = HJ212CRC.checksum(Array(seg.utf8))
        try #require(crc < 0x1000)
        let d = HJ212Decoder.decode(Self.packet(seg, crc: String(String(crc, radix: 16).uppercased())))
        #expect(d.crcOK && d.isClean && d.deviations.contains(.shortCRC) && d.crcSent == crc)
    }

    @Test func trailingSemicolonAndEmptyItemsAreDeviationsNotErrors() {
        let d = HJ212Decoder.decode(Self.packet("ST=32;CN=2011;PW=1;MN=M;CP=&&w01018-Rtd=20;;w21003-Rtd=1.5;&&"))
        #expect(d.isClean && d.deviations.contains(.emptyItem))
        #expect(d.values.map { $0.parameter! } == ["COD", "NH3-N"])
    }

    @Test func logTextBetweenDoubleSlashesMayHoldSeparators() {
        let seg = "QN=20240101120000000;ST=32;CN=3020;PW=1;MN=M;Flag=4;CP=&&DataTime=20240101120000;PolId=w01018;i11001-Info=//清洗管路;a=b,c//&&"
        let packet = Self.packet(seg)
        let d = HJ212Decoder.decode(packet)
        #expect(d.isClean && d.frame.declaredLength == seg.utf8.count && seg.utf8.count > seg.count)
        #expect(d.values.map(\.text) == ["//清洗管路;a=b,c//"] && d.values[0].field == .info)
        #expect(d.entries == [HJ212Entry(name: "PolId", text: "w01018")])
    }

    @Test func flagsPerVersionAndAcrossGroups() {
        // A flag in another `;` group still applies to its code's values.
        let a = HJ212Decoder.decode(Self.packet("QN=1;ST=32;CN=2011;MN=M;Flag=4;CP=&&w01018-Rtd=20;w01018-Flag=D;w21003-Rtd=1,w21003-Flag=m&&"))
        #expect(a.values.map { $0.flag } == [.fault, .fault, .maintenance, .maintenance])
        // 2005 air-station digits, and P (power failure).
        let b = HJ212Decoder.decode(Self.packet("ST=22;CN=2011;MN=M;CP=&&02-Rtd=5,02-Flag=3;04-Rtd=1,04-Flag=0;01-Rtd=9,01-Flag=P&&"))
        #expect(b.values.map { $0.flag } == [.normal, .normal, .calibration, .calibration, .fault, .fault])
        #expect(b.values.map { $0.parameter } == ["SO2", "SO2", "CO", "CO", "Dust", "Dust"])
        // Digits are not flags in 2017.
        let c = HJ212Decoder.decode(Self.packet("QN=1;ST=22;CN=2011;MN=M;Flag=4;CP=&&a34004-Rtd=5,a34004-Flag=3&&"))
        #expect(c.values.map { $0.flag } == [nil, nil] && c.deviations.contains(.unknownDataFlag) && c.isClean)
        #expect(DataFlag(hj212: "p", version: .hjt2005) == .fault)
        #expect(DataFlag(hj212: "2", version: .hjt2005) == .fault && DataFlag(hj212: "2", version: .hj2017) == nil)
        #expect(DataFlag(hj212: "NN", version: .hj2017) == nil)
    }

    @Test func twoThousandFiveCodesOnlyInTheirMedium() {
        let water = HJ212Decoder.decode(Self.packet("ST=32;CN=2011;MN=M;CP=&&023-Rtd=1;02-Rtd=1&&"))
        #expect(water.values.map(\.parameter) == ["Cr", nil])
        let gas = HJ212Decoder.decode(Self.packet("ST=31;CN=2011;MN=M;CP=&&023-Rtd=1;02-Rtd=1;w01018-Rtd=1&&"))
        #expect(gas.values.map(\.parameter) == [nil, "SO2", "COD"])
        let unknownST = HJ212Decoder.decode(Self.packet("ST=101;CN=2011;MN=M;CP=&&023-Rtd=1;02-Rtd=1&&"))
        #expect(unknownST.values.map(\.parameter) == ["Cr", "SO2"] && unknownST.deviations.contains(.nonStandardST))
    }

    @Test func brokenContentIsReportedNotThrown() {
        let d = HJ212Decoder.decode(Self.packet("QN=1;ST=22;CN=20x1;MN=M;Flag=300;PNUM=2;CP=&&DataTime=20241340000000;a-Rtd=abc;b-Avg=;noequals&&"))
        #expect(d.errors == [
            "Flag '300' is not an integer 0…255", "the header has only one of PNUM and PNO", "CN '20x1' is not four digits",
            "DataTime '20241340000000' is not a YYYYMMDDhhmmss time", "a-Rtd: 'abc' is not a number", "b-Avg: '' is not a number",
            "CP item 'noequals' has no '='",
        ])
        #expect(d.crcOK && d.values.count == 2 && d.values[0].text == "abc" && d.values[0].number == nil)
    }

    @Test func framingProblems() {
        let noHeader = HJ212Decoder.decode(Array(Self.upload.utf8) + Array("ABCD".utf8))
        #expect(noHeader.errors.first == "no '##' at the start of the packet" && noHeader.qn == "20240101120000000")
        #expect(noHeader.values.count == 2)
        let badLength = HJ212Decoder.decode(Self.packet(Self.upload, length: "01x5"))
        #expect(badLength.crcOK && !badLength.lengthOK && badLength.frame.declaredLength == nil)
        #expect(badLength.errors == ["the length after '##' is not four decimal digits: '01x5'"])
        let shortLength = HJ212Decoder.decode(Self.packet(Self.upload, length: "0100"))
        #expect(shortLength.crcOK && !shortLength.lengthOK && shortLength.frame.segment.count == Self.upload.utf8.count)
        let noCRC = HJ212Decoder.decode(Array("##0010ST=1;CP=&&&&".utf8))
        #expect(noCRC.crcSent == nil && noCRC.crcVariant == .unknown && noCRC.errors.contains("no CRC after the data segment"))
        let trailing = HJ212Decoder.decode(Self.packet(Self.upload, terminator: "XYZ"))
        #expect(trailing.errors == ["3 unexpected bytes after the CRC"])
        let noCP = HJ212Decoder.decode(Self.packet("ST=22;CN=2011&&"))
        #expect(noCP.errors == ["the data segment has no 'CP=&&…&&' data area"])
        #expect(HJ212Decoder.decode([UInt8]()).errors.first == "empty packet")
        #expect(HJ212Decoder.decode("##").errors.count >= 2)
    }

    @Test func lighterPassSkipsValues() {
        let light = HJ212Decoder(parsesValues: false).decode(HJ212Vector.row(13).packet)
        #expect(light.values.isEmpty && light.entries.isEmpty && light.crcOK && light.dataTime != nil && light.mn == "aqms-1100-2020110011")
    }

    @Test func fieldNames() {
        #expect(HJ212Field(name: "zsavg") == .zsAvg && HJ212Field(name: "SampleTime").name == "SampleTime")
        #expect(HJ212Field(name: "td") == .other("td") && HJ212Field(name: "Rtd").isMeasurement && !HJ212Field.flag.isMeasurement)
        #expect(HJ212Version(flag: nil) == .hjt2005 && HJ212Version(flag: 7) == .hj2017 && HJ212Version(flag: 13).description == "v3")
    }
}
