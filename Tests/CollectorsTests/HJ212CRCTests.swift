@testable import Collectors
import Testing

@Suite struct HJ212CRCTests {
    /// The standard's rule, one bit at a time: `reg = (reg >> 8) ^ byte`, then eight reflected shifts.
    static func reference(_ bytes: [UInt8]) -> UInt16 {
        var reg: UInt16 = 0xFFFF
        for b in bytes {
            reg = (reg >> 8) ^ UInt16(b)
            for _ in 0..<8 { reg = reg & 1 == 1 ? (reg >> 1) ^ 0xA001 : reg >> 1 }
        }
        return reg
    }

    static func referenceModbus(_ bytes: [UInt8]) -> UInt16 {
        var reg: UInt16 = 0xFFFF
        for b in bytes {
            reg ^= UInt16(b)
            for _ in 0..<8 { reg = reg & 1 == 1 ? (reg >> 1) ^ 0xA001 : reg >> 1 }
        }
        return reg
    }

    static let official = "QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&"

    @Test func knownAnswersFromTheReference() {
        #expect(HJ212CRC.checksum(Array(Self.official.utf8)) == 0x1C80)
        #expect(HJ212CRC.modbus(Array(Self.official.utf8)) == 0x0759)
        #expect(HJ212CRC.checksum([UInt8]()) == 0xFFFF)
        // The published xiaoyao9184 example: its CRC belongs to the 0139 variant; the right one is 3C00.
        let shortened = "ST=32;CN=2011;PW=123456;MN=LD130133000015;CP=&&DataTime=20160824003817;B01-Rtd=36.91;011-Rtd=231.0,011-Flag=N;060-Rtd=1.803,060-Flag=N&&"
        #expect(HJ212CRC.checksum(Array(shortened.utf8)) == 0x3C00)
        let reply = "QN=20190925181031464;ST=91;CN=9014;PW=BF470F88957588DE902D1A52;MN=Z13401000010301;Flag=4;CP=&&&&"
        #expect(HJ212CRC.checksum(Array(reply.utf8)) == 0xCE81)
        #expect(HJ212CRC.checksum(Array("ST=91;CN=9014;CP=&&QN=20040516010101001;CN=2051&&".utf8)) == 0x5F00)
    }

    @Test func acceptsAnySequence() {
        let bytes = Array(Self.official.utf8)
        #expect(HJ212CRC.checksum(Self.official.utf8) == 0x1C80)
        #expect(HJ212CRC.checksum(bytes[...]) == 0x1C80)
        #expect(HJ212CRC.checksum(AnySequence(bytes)) == 0x1C80)
        #expect(HJ212CRC.modbus(AnySequence(bytes)) == 0x0759)
    }

    @Test func eightByteStepsMatchTheBitwiseRuleAtEveryLength() {
        var rng = SeededRandom(seed: 212)
        for length in 0..<300 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
            #expect(HJ212CRC.checksum(bytes) == Self.reference(bytes), "length \(length)")
            #expect(HJ212CRC.checksum(AnySequence(bytes)) == Self.reference(bytes))
            #expect(HJ212CRC.modbus(bytes) == Self.referenceModbus(bytes))
        }
    }

    @Test func onlyTwoHundredFiftySixValuesWithEightLowBytes() {
        var rng = SeededRandom(seed: 7)
        var seen = Set<UInt16>()
        for _ in 0..<5_000 {
            let bytes = (0..<Int.random(in: 1...40, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let crc = HJ212CRC.checksum(bytes)
            #expect(HJ212CRC.canBeHJ212(crc))
            seen.insert(crc)
        }
        #expect(seen.count <= 256)
        #expect(!HJ212CRC.canBeHJ212(0xA6EC))
    }

    @Test func classifiesTheVariants() {
        let segment = Array(Self.official.utf8)
        #expect(HJ212CRC.classify(segment, sent: 0x1C80) == .hj212)
        #expect(HJ212CRC.classify(segment, sent: 0x0759) == .modbus)
        #expect(HJ212CRC.classify(segment, sent: 0x5907) == .modbusSwapped)
        #expect(HJ212CRC.classify(segment, sent: 0x1234) == .unknown)
        for variant in [HJ212CRCVariant.hj212, .modbus, .modbusSwapped] {
            let crc = HJ212CRC.checksum(segment, variant: variant)!
            #expect(HJ212CRC.classify(segment, sent: crc) == variant)
        }
        #expect(HJ212CRC.checksum(segment, variant: .unknown) == nil)
        #expect(HJ212CRCVariant(rawValue: "modbus-swapped") == .modbusSwapped)
    }

    @Test func printsFourUppercaseDigits() {
        #expect(HJ212CRC.hex(0x0880) == "0880")
        #expect(HJ212CRC.hex(0xCC01) == "CC01")
        #expect(HJ212CRC.hex(0) == "0000")
    }
}
