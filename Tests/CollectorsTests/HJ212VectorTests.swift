@testable import Collectors
import Monitoring
import Testing

/// Every real packet of `shared/data/hj212-vectors.tsv` decodes to what its row says.
@Suite struct HJ212VectorTests {
    @Test func theVectorsFileIsThere() {
        #expect(HJ212Vector.all.count == 18, "read \(HJ212Vector.path)")
    }

    @Test(arguments: HJ212Vector.all.map(\.row))
    func crcVerdictAndVariant(row: Int) {
        let v = HJ212Vector.row(row)
        let d = HJ212Decoder.decode(v.packet)
        #expect(d.crcOK == v.crcValid, "row \(row): \(d.errors)")
        let variant: HJ212CRCVariant =
            v.crcValid ? .hj212 : v.note.contains("byte-swapped") ? .modbusSwapped : v.note.lowercased().contains("plain modbus") ? .modbus : .unknown
        #expect(d.crcVariant == variant, "row \(row)")
        #expect(d.crcExpected == HJ212CRC.checksum(d.frame.segment))
        #expect(d.crcSent.map(HJ212CRC.hex) == d.frame.crcText?.uppercased())
        // Only rows with a CRC or length problem have errors.
        #expect(d.errors.isEmpty == (v.crcValid && d.lengthOK), "row \(row): \(d.errors)")
    }

    @Test func row1OfficialExample() {
        let d = HJ212Decoder.decode(HJ212Vector.row(1).packet)
        #expect(d.crcOK && d.lengthOK && d.errors.isEmpty && d.deviations.isEmpty)
        #expect(d.qn == "20160801085857223" && d.st == "32" && d.cn == "1062" && d.pw == "100000")
        #expect(d.mn == "010000A8900016F000169DC0" && d.flag == 5 && d.version == .hj2017)
        #expect(d.ackRequired && !d.isSplit && d.frame.command == 1062)
        #expect(d.frame.declaredLength == 101 && d.frame.terminator == .crlf && d.frame.cp == "RtdInterval=30")
        #expect(d.entries == [HJ212Entry(name: "RtdInterval", text: "30")] && d.values.isEmpty && d.dataTime == nil)
    }

    @Test func rows2to5The2005StyleXiaoyaoPackets() {
        for row in 2...5 {
            let d = HJ212Decoder.decode(HJ212Vector.row(row).packet)
            #expect(d.qn == nil && d.flag == nil && d.version == .hjt2005 && !d.ackRequired, "row \(row)")
            #expect(d.deviations.isSuperset(of: [.missingQN, .missingFlag]))
            #expect(d.dataTime == CivilTime(year: 2016, month: 8, day: 24, hour: 0, minute: 38, second: 17))
            #expect(d.dataTimeMilliseconds == (row == 2 ? nil : 0))
            let summary = d.values.map { "\($0.code)/\($0.parameter ?? "-")/\($0.field)/\($0.number.map { "\($0)" } ?? $0.text)/\($0.flag?.rawValue ?? "-")" }
            #expect(summary == ["B01/Q-water/Rtd/36.91/-", "011/COD/Rtd/231.0/N", "011/COD/Flag/N/N", "060/NH3-N/Rtd/1.803/N", "060/NH3-N/Flag/N/N"])
        }
        let r2 = HJ212Decoder.decode(HJ212Vector.row(2).packet)
        #expect(r2.crcExpected == 0x3C00 && r2.crcSent == 0x4980 && r2.lengthOK)
        #expect(r2.errors == ["CRC mismatch: sent 4980, expected 3C00"])
        #expect(HJ212Decoder.decode(HJ212Vector.row(4).packet).frame.terminator == .lf)
        #expect(HJ212Decoder.decode(HJ212Vector.row(4).packet).deviations.contains(.lfTerminator))
        let r5 = HJ212Decoder.decode(HJ212Vector.row(5).packet)
        #expect(r5.crcExpected == 0x4980 && r5.crcSent == 0x4981)
    }

    @Test func row6ElectricityMeterWithOneFlagForAllFields() {
        let d = HJ212Decoder.decode(HJ212Vector.row(6).packet)
        #expect(d.st == "80" && d.mn == "410183160889201000212505" && d.values.count == 29)
        #expect(d.values.first?.description == "100000-Ia=401.400" && d.values.first?.number == 401.4)
        #expect(d.values.first?.field == .other("Ia") && d.values.first?.parameter == nil)
        #expect(d.values.allSatisfy { $0.flag == .normal })
        #expect(d.readings.count == 1 && d.readings[0].measurements.isEmpty && d.readings[0].flag == .normal)
    }

    @Test func rows7And8LowercaseCRCsAndVersion2025() {
        let r7 = HJ212Decoder.decode(HJ212Vector.row(7).packet)
        #expect(r7.crcOK && r7.frame.crcText == "cc01" && r7.deviations == [.lowercaseCRC])
        #expect(r7.readings.map { "\($0.parameter ?? $0.code)=\($0[.rtd]!)" } == [
            "CO=0.0", "NO2=0.0", "a21007=0.033", "a21006=0.036", "NH3=25.4", "NO=101.94", "NOx=49.2",
        ])
        let r8 = HJ212Decoder.decode(HJ212Vector.row(8).packet)
        #expect(r8.flag == 8 && r8.version == .hj2025 && !r8.ackRequired && r8.crcOK)
        #expect(r8.readings.first.map { "\($0.parameter!)=\($0[.rtd]!) \($0.flag!.rawValue)" } == "pH=8.33 N")
        #expect(r8.readings.count == 11)
    }

    @Test func row9HourlyAmbientAirAsksForAReply() throws {
        let d = HJ212Decoder.decode(HJ212Vector.row(9).packet)
        #expect(d.cn == "2061" && d.pw == "BF470F88957588DE902D1A52" && d.ackRequired)
        #expect(d.readings.map { $0[.avg]! } == [2.697, 7.966, 3.306, 7.357, 10.663])
        let reply = try #require(try HJ212Encoder.reply(to: d))
        #expect(
            String(decoding: reply, as: UTF8.self)
                == "##0096QN=20190925181031464;ST=91;CN=9014;PW=BF470F88957588DE902D1A52;MN=Z13401000010301;Flag=4;CP=&&&&CE81\r\n")
    }

    @Test func row10MinuteDataWithOzoneAndNoTerminator() {
        let d = HJ212Decoder.decode(HJ212Vector.row(10).packet)
        #expect(d.crcOK && d.frame.terminator == HJ212Frame.Terminator.none && d.deviations == [.noTerminator])
        #expect(d.mn == "JLYP01_AIR01_0001" && d.cn == "2051")
        let byParameter = Dictionary(uniqueKeysWithValues: d.readings.compactMap { r in r.parameter.map { ($0, r[.avg]!) } })
        #expect(byParameter == ["NO2": 4, "O3": 63, "SO2": 6, "CO": 0.427, "PM2.5": 14, "PM10": 31, "WS": 1, "WD": 11, "TEMP": 17, "RH": 85, "PRES": 95])
    }

    @Test func rows11And12SampleTimeAndRestartTime() {
        let r11 = HJ212Decoder.decode(HJ212Vector.row(11).packet)
        #expect(r11.readings.count == 1)
        #expect(r11.readings[0].sampleTime == CivilTime(year: 2023, month: 10, day: 8, hour: 12, minute: 33, second: 40))
        #expect(r11.readings[0][.rtd] == 123.456 && r11.values[0].number == nil && r11.values[0].text == "20231008123340")
        let r12 = HJ212Decoder.decode(HJ212Vector.row(12).packet)
        #expect(r12.cn == "2081" && r12.values.isEmpty && r12.entries == [HJ212Entry(name: "RestartTime", text: "20231007130452")])
    }

    @Test func row13NonHexMNBeforePWAndVendorCodes() {
        let d = HJ212Decoder.decode(HJ212Vector.row(13).packet)
        #expect(d.crcOK && d.mn == "aqms-1100-2020110011" && d.pw == "123456" && d.deviations == [.headerOrder])
        let vendor = d.readings.filter { $0.parameter == nil }.map(\.code)
        #expect(vendor == ["pms_rules", "lng", "lat", "a99054", "hot_t", "vn"])
        #expect(d.readings.first { $0.code == "lng" }?[.rtd] == 120.32879)
        #expect(d.readings.first { $0.parameter == "PM2.5" }?[.rtd] == 33)
    }

    @Test func row14The2005RequestWithSplitBitAndNoNumbers() {
        let d = HJ212Decoder.decode(HJ212Vector.row(14).packet)
        #expect(d.crcOK && d.flag == 3 && d.version == .hjt2005 && d.ackRequired && d.isSplit)
        #expect(d.frame.pnum == nil && d.deviations == [.splitBitWithoutNumbers])
        #expect(d.entries.map(\.description) == ["BeginTime=20040506111000", "EndTime=20040506151000"])
    }

    @Test func rows15to17RealCapturesWithLocalCodes() {
        let r15 = HJ212Decoder.decode(HJ212Vector.row(15).packet)
        #expect(r15.crcOK && r15.st == "31" && r15.values.count == 62 && r15.readings.count == 31)
        // Local codes stay verbatim; `023` is total chromium only in the 2005 *water* table.
        #expect(r15.values.allSatisfy { $0.parameter == nil })
        #expect(r15.readings.first { $0.code == "a99948" }?[.rtd] == 452.341)
        let r16 = HJ212Decoder.decode(HJ212Vector.row(16).packet)
        #expect(r16.crcVariant == .modbusSwapped && r16.crcExpected == 0x0440 && r16.mn == "4201003")
        #expect(r16.errors == ["CRC A6EC is CRC-16/MODBUS byte-swapped, not the HJ 212 CRC 0440"])
        let r17 = HJ212Decoder.decode(HJ212Vector.row(17).packet)
        #expect(r17.frame.segment.count == 1623 && r17.lengthOK && r17.deviations.contains(.overlong))
        #expect(r17.crcVariant == .modbusSwapped && r17.qn == "20200924101500117")
        #expect(r17.values.count == 108 && r17.values.allSatisfy { $0.flag == nil && $0.number == 0 })
        #expect(r17.readings.count == 36 && r17.readings.allSatisfy { $0.measurements.map(\.field) == [.min, .avg, .max] })
    }

    @Test func row18WrongLengthIsFoundByItsClosingAmpersands() {
        let d = HJ212Decoder.decode(HJ212Vector.row(18).packet)
        #expect(!d.lengthOK && d.frame.declaredLength == 215 && d.frame.segment.count == 271)
        #expect(d.crcVariant == .unknown && d.st == "51" && d.flag == 0)
        #expect(d.errors == ["CRC mismatch: sent FBB0, expected 74C0", "declared length 215 but the data segment has 271 bytes"])
        #expect(d.deviations == [.headerOrder, .emptyItem])
        #expect(d.entries.map(\.description) == ["FANSTATUS=1", "PURIFYSTATUS=1"])
        #expect(d.values.filter { $0.parameter != nil }.map { "\($0.code)=\($0.parameter!)" } == ["S03=T-gas", "S02=Velocity"])
        #expect(d.values.count == 10)
    }
}
