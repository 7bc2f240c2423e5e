import Foundation
import Monitoring
import Testing

@Suite struct CatalogueTests {
    let catalogue = ParameterCatalogue.standard

    @Test func requiredParametersHaveCodesNamesUnitsAndRanges() throws {
        let required = [
            "COD", "NH3-N", "TP", "TN", "pH", "Q-water", "SO2", "NOx", "Dust", "O2", "Q-gas", "T-gas", "PM2.5", "PM10", "NO2",
            "CO", "O3", "DO", "CODMn", "BOD5",
        ]
        for id in required {
            let p = try #require(catalogue[id], "\(id) missing")
            #expect(!p.code2017.isEmpty && !p.nameEN.isEmpty && !p.nameZH.isEmpty)
            #expect(!p.media.isEmpty)
            for m in p.media.values { #expect(m.range.lowerBound < m.range.upperBound) }
        }
    }

    @Test func codesOf2017And2005BothResolve() {
        #expect(catalogue.byCode("w01018")?.id == "COD")
        #expect(catalogue.byCode("011")?.id == "COD")
        #expect(catalogue.byCode("W21003")?.id == "NH3-N")
        #expect(catalogue.byCode("01")?.id == "Dust")  // 2005 gas code, not pH's 001
        #expect(catalogue.byCode("001")?.id == "pH")
        #expect(catalogue.byCode("a05024")?.id == "O3")
        #expect(catalogue.byCode("zz999") == nil)
    }

    @Test func unitsConvertWithinADimensionOnly() {
        #expect(MeasurementUnit.microgramPerCubicMetre.factor(to: .milligramPerCubicMetre) == 0.001)
        #expect(MeasurementUnit.hectopascal.factor(to: .kilopascal) == 0.1)
        #expect(MeasurementUnit.cubicMetrePerHour.factor(to: .litrePerSecond)! * 3_600 == 1_000)
        #expect(MeasurementUnit.milligramPerLitre.factor(to: .degreeCelsius) == nil)
        #expect(MeasurementUnit(parsing: "ug/m³") == .microgramPerCubicMetre)
        #expect(MeasurementUnit(parsing: "℃") == .degreeCelsius)
        #expect(MeasurementUnit(parsing: "furlongs") == nil)
    }

    @Test func everyUnitParsesFromItsRawValueAndItsSymbol() {
        for unit in MeasurementUnit.allCases {
            #expect(MeasurementUnit(parsing: unit.rawValue) == unit)
            if unit != .dimensionless {
                #expect(MeasurementUnit(parsing: unit.symbol) == unit)
                #expect(MeasurementUnit(parsing: " " + unit.symbol.replacingOccurrences(of: "µ", with: "μ")) == unit)
            }
            // The symbol is the raw value with superscripts.
            #expect(unit.symbol == (unit == .dimensionless ? "" : unit.rawValue.replacingOccurrences(of: "m3", with: "m³").replacingOccurrences(of: "m2", with: "m²")))
        }
    }

    @Test func onlyNormalReadingsAreValid() {
        #expect(DataFlag.allCases.filter(\.isValid) == [.normal])
        #expect(DataFlag(letter: "c") == .calibration)
        #expect(DataFlag(letter: "X") == nil)
    }
}
