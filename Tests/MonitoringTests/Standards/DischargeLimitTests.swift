import Foundation
import Monitoring
import Testing

/// Discharge limits as data (reference/standards.md §5).
@Suite struct DischargeLimitTests {
    func maximum(_ limits: [DischargeLimit], _ parameter: String) -> Decimal? {
        limits.first { $0.parameter == parameter }?.maximum
    }

    @Test func gb18918Grades() {
        let a = DischargeLimits.gb18918(.grade1A)
        #expect(maximum(a, "COD") == 50 && maximum(a, "BOD5") == 10 && maximum(a, "SS") == 10 && maximum(a, "TN") == 15)
        #expect(maximum(a, "NH3-N") == 5 && maximum(a, "TP") == dec("0.5") && maximum(a, "FecalColiform") == 1000)
        #expect(a.allSatisfy { $0.averaging == .dailyMean && $0.referenceOxygen == nil })
        let b = DischargeLimits.gb18918(.grade1B, waterAbove12C: false, builtBefore2006: true)
        #expect(maximum(b, "COD") == 60 && maximum(b, "NH3-N") == 15 && maximum(b, "TP") == dec("1.5"))
        #expect(b.first { $0.parameter == "NH3-N" }?.source.confidence == .memory)
        let two = DischargeLimits.gb18918(.grade2)
        #expect(maximum(two, "COD") == 100 && maximum(two, "NH3-N") == 25 && maximum(two, "TN") == nil)
        let three = DischargeLimits.gb18918(.grade3)
        #expect(maximum(three, "COD") == 120 && maximum(three, "NH3-N") == nil && maximum(three, "FecalColiform") == nil)
        #expect(three.first { $0.parameter == "COD" }?.condition?.contains("350") == true)
        let pH = a.first { $0.parameter == "pH" }!
        #expect(!pH.isExceeded(by: dec("6")) && pH.isExceeded(by: dec("5.9")) && pH.isExceeded(by: dec("9.1")))
        let cod = a.first { $0.parameter == "COD" }!
        #expect(!cod.isExceeded(by: 50.0) && cod.isExceeded(by: 50.1))
        #expect(cod.source.description == "GB 18918-2002 Table 1 [S]")
    }

    @Test func gb13223ThermalPower() {
        let coal = DischargeLimits.gb13223(.coalBoiler)
        #expect(maximum(coal, "Dust") == 30 && maximum(coal, "SO2") == 100 && maximum(coal, "NOx") == 100 && maximum(coal, "Hg") == dec("0.03"))
        #expect(coal.allSatisfy { $0.referenceOxygen == 6 && $0.averaging == .hourlyMean })
        #expect(maximum(DischargeLimits.gb13223(.coalBoiler, existing: true), "SO2") == 200)
        #expect(maximum(DischargeLimits.gb13223(.coalBoiler, existing: true, southwest: true), "SO2") == 400)
        #expect(maximum(DischargeLimits.gb13223(.coalBoiler, nitrogenOxideExemption: true), "NOx") == 200)
        let special = DischargeLimits.gb13223(.coalBoiler, specialLimits: true)
        #expect(maximum(special, "Dust") == 20 && maximum(special, "SO2") == 50 && maximum(special, "NOx") == 100)
        #expect(special[0].source.clause == "Table 2")
        let turbine = DischargeLimits.gb13223(.naturalGasTurbine)
        #expect(maximum(turbine, "NOx") == 50 && maximum(turbine, "SO2") == 35 && turbine[0].referenceOxygen == 15)
        #expect(DischargeLimits.gb13223(.oilBoiler)[0].referenceOxygen == 3)
    }

    @Test func ultraLowEmission() {
        let ultra = DischargeLimits.ultraLowCoalPower()
        #expect(ultra.map(\.parameter) == ["Dust", "SO2", "NOx"] && ultra.map(\.maximum) == [10, 35, 50])
        #expect(ultra.allSatisfy { $0.referenceOxygen == 6 })
        #expect(maximum(DischargeLimits.ultraLowCoalPower(dust: 5), "Dust") == 5)
    }
}

/// O2 reference correction (reference/standards.md §6.1).
@Suite struct OxygenCorrectionTests {
    @Test func correctsToTheReference() throws {
        // 40 mg/m³ at 9 % O2 to the 6 % of a coal boiler: 40 × 15/12 = 50.
        #expect(try OxygenCorrection.corrected(40, measuredOxygen: 9, referenceOxygen: 6) == 50)
        // A gas turbine at 15 %: 30 mg/m³ measured at 16 % is 30 × 6/5 = 36.
        #expect(abs(try OxygenCorrection.corrected(30, measuredOxygen: 16, referenceOxygen: 15) - 36) < 1e-12)
        // Below the reference O2 the correction lowers the value: 60 at 3 % to 6 % is 60 × 15/18 = 50.
        #expect(try OxygenCorrection.corrected(60, measuredOxygen: 3, referenceOxygen: 6) == 50)
        #expect(OxygenCorrection.factor(measuredOxygen: 9, referenceOxygen: 6) == 1.25)
    }

    @Test func refusesAtTheCutOff() {
        #expect(throws: StandardsError.self) { try OxygenCorrection.corrected(10, measuredOxygen: 20.5, referenceOxygen: 6) }
        #expect(throws: StandardsError.self) { try OxygenCorrection.corrected(10, measuredOxygen: 21, referenceOxygen: 6) }
        #expect(throws: StandardsError.self) { try OxygenCorrection.corrected(10, measuredOxygen: -1, referenceOxygen: 6) }
        #expect(OxygenCorrection.factor(measuredOxygen: 20.6, referenceOxygen: 6) == nil)
        #expect(throws: Never.self) { try OxygenCorrection.corrected(10, measuredOxygen: 20.4, referenceOxygen: 6) }
    }
}
