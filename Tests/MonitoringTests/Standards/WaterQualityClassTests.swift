import Foundation
import Monitoring
import Testing

/// GB 3838-2002 single-factor classes, section class and exceedances (reference/standards.md §3).
@Suite struct WaterQualityClassTests {
    let gb3838 = SurfaceWaterStandard.gb3838_2002

    /// Table 1 "at most" rows as printed in the reference, Ⅰ to Ⅴ (rivers).
    static let atMostRows: [(String, [String])] = [
        ("CODMn", ["2", "4", "6", "10", "15"]), ("COD", ["15", "15", "20", "30", "40"]), ("BOD5", ["3", "3", "4", "6", "10"]),
        ("NH3-N", ["0.15", "0.5", "1.0", "1.5", "2.0"]), ("TP", ["0.02", "0.1", "0.2", "0.3", "0.4"]),
        ("Cu", ["0.01", "1.0", "1.0", "1.0", "1.0"]), ("Zn", ["0.05", "1.0", "1.0", "2.0", "2.0"]), ("F", ["1.0", "1.0", "1.0", "1.5", "1.5"]),
        ("Se", ["0.01", "0.01", "0.01", "0.02", "0.02"]), ("As", ["0.05", "0.05", "0.05", "0.1", "0.1"]),
        ("Hg", ["0.00005", "0.00005", "0.0001", "0.001", "0.001"]), ("Cd", ["0.001", "0.005", "0.005", "0.005", "0.01"]),
        ("Cr6", ["0.01", "0.05", "0.05", "0.05", "0.1"]), ("Pb", ["0.01", "0.01", "0.05", "0.05", "0.1"]),
        ("CN", ["0.005", "0.05", "0.2", "0.2", "0.2"]), ("Phenol", ["0.002", "0.002", "0.005", "0.01", "0.1"]),
        ("Oil", ["0.05", "0.05", "0.05", "0.5", "1.0"]), ("LAS", ["0.2", "0.2", "0.2", "0.3", "0.3"]),
        ("Sulfide", ["0.05", "0.1", "0.2", "0.5", "1.0"]), ("FecalColiform", ["200", "2000", "10000", "20000", "40000"]),
    ]

    func classOf(_ parameter: String, _ value: String, _ body: WaterBodyType = .river) throws -> WaterQualityClass? {
        try gb3838.assess([(parameter, dec(value))], waterBody: body).parameters[0].waterClass
    }

    @Test func everyParameterAtEachClassEdge() throws {
        for (parameter, limits) in Self.atMostRows {
            let values = limits.map(dec)
            for (k, limit) in values.enumerated() {
                // On the limit: the best class with that limit (shared limits give the better class).
                let best = WaterQualityClass(rawValue: values.firstIndex(of: limit)! + 1)!
                #expect(try gb3838.assess([(parameter, limit)]).parameters[0].waterClass == best, "\(parameter) = \(limit)")
                // Just above: the first class with a larger limit, or worse than Ⅴ.
                let above = limit * dec("1.001")
                let next = values.firstIndex { $0 > limit }.map { WaterQualityClass(rawValue: $0 + 1)! } ?? .worseThanV
                #expect(try gb3838.assess([(parameter, above)]).parameters[0].waterClass == next, "\(parameter) = \(above) (class \(k + 1) limit)")
            }
        }
    }

    @Test func spotValuesByHand() throws {
        #expect(try classOf("COD", "15") == .classI)
        #expect(try classOf("COD", "15.1") == .classIII)
        #expect(try classOf("COD", "40") == .classV)
        #expect(try classOf("COD", "40.1") == .worseThanV)
        #expect(try classOf("NH3-N", "0.16") == .classII)
        #expect(try classOf("Hg", "0.00006") == .classIII)
        #expect(try classOf("FecalColiform", "2001") == .classIII)
    }

    @Test func dissolvedOxygenIsAtLeast() throws {
        let cases: [(String, WaterQualityClass)] = [
            ("8", .classI), ("7.5", .classI), ("7.4", .classII), ("6", .classII), ("5.9", .classIII), ("5", .classIII),
            ("4.9", .classIV), ("3", .classIV), ("2.9", .classV), ("2", .classV), ("1.9", .worseThanV),
        ]
        for (value, expected) in cases { #expect(try classOf("DO", value) == expected, "DO \(value)") }
        // No exceedance multiple for DO.
        let a = try gb3838.assess([("DO", dec("4"))], target: .classIII)
        #expect(a.exceedances.count == 1 && a.exceedances[0].multiple == nil && a.exceedances[0].targetRequirement == .atLeast(5))
    }

    @Test func pHInsideSixToNineNeverWorsensTheSection() throws {
        #expect(try classOf("pH", "6") == .classI)
        #expect(try classOf("pH", "9") == .classI)
        #expect(try classOf("pH", "5.9") == .worseThanV)
        #expect(try classOf("pH", "9.1") == .worseThanV)
        let a = try gb3838.assess([("pH", dec("7.2")), ("COD", dec("25"))])
        #expect(a.sectionClass == .classIV)
    }

    @Test func lakesHaveTheirOwnPhosphorusLimitsAndTotalNitrogen() throws {
        #expect(try classOf("TP", "0.05", .river) == .classII)
        #expect(try classOf("TP", "0.05", .lake) == .classIII)
        #expect(try classOf("TP", "0.025", .lake) == .classII)
        #expect(try classOf("TP", "0.21", .lake) == .worseThanV)
        // TN has limits for lakes and reservoirs only, and never enters the section class.
        #expect(try classOf("TN", "1.2", .river) == nil)
        let lake = try gb3838.assess([("TN", dec("1.2")), ("COD", dec("14"))], waterBody: .lake, target: .classII)
        #expect(lake.parameters[0].waterClass == .classIV && !lake.parameters[0].countsForSectionClass)
        #expect(lake.sectionClass == .classI && lake.exceedances.isEmpty && lake.meetsTarget == true)
    }

    @Test func sectionClassIsTheWorstAndExceedancesAreOverTheTarget() throws {
        let values: [(parameter: String, value: Decimal)] = [("COD", dec("18")), ("NH3-N", dec("0.9")), ("TP", dec("0.12"))]
        let a = try gb3838.assess(values, target: .classII)
        #expect(a.parameters.map(\.waterClass) == [.classIII, .classIII, .classIII])
        #expect(a.sectionClass == .classIII && a.sectionClass?.grade == "良好")
        #expect(a.meetsTarget == false)
        #expect(a.exceedances.map(\.parameter) == ["COD", "NH3-N", "TP"])
        // (18 − 15)/15 = 0.2, (0.9 − 0.5)/0.5 = 0.8, (0.12 − 0.1)/0.1 = 0.2.
        #expect(a.exceedances.map(\.multiple) == [dec("0.2"), dec("0.8"), dec("0.2")])
        #expect(a.exceedances[0].targetRequirement.description == "≤ 15")

        let worse = try gb3838.assess(values + [("DO", dec("4"))], target: .classIII)
        #expect(worse.sectionClass == .classIV && worse.exceedances.map(\.parameter) == ["DO"])
        let met = try gb3838.assess(values, target: .classIII)
        #expect(met.meetsTarget == true && met.exceedances.isEmpty)
        // Fecal coliform is classed but left out of the section class.
        let fc = try gb3838.assess([("COD", dec("10")), ("FecalColiform", dec("50000"))], target: .classI)
        #expect(fc.parameters[1].waterClass == .worseThanV && fc.sectionClass == .classI && fc.exceedances.isEmpty)
    }

    @Test func namesAndClassesParse() throws {
        #expect(gb3838.parameterID("NH3N") == "NH3-N" && gb3838.parameterID("CODcr") == "COD" && gb3838.parameterID("Cr(VI)") == "Cr6")
        #expect(gb3838.parameterID("codmn") == "CODMn" && gb3838.parameterID("cyanide") == "CN")
        #expect(WaterQualityClass(parsing: "III") == .classIII && WaterQualityClass(parsing: "Ⅳ") == .classIV)
        #expect(WaterQualityClass(parsing: "2") == .classII && WaterQualityClass(parsing: "劣V") == .worseThanV)
        #expect(WaterQualityClass(parsing: "VI") == nil)
        #expect(WaterQualityClass.worseThanV.name == "劣V")
    }

    @Test func badInputIsRefused() {
        #expect(throws: StandardsError.self) { try gb3838.assess([("WT", dec("20"))]) }
        #expect(throws: StandardsError.self) { try gb3838.assess([("Unobtainium", dec("1"))]) }
        #expect(throws: StandardsError.self) { try gb3838.assess([("COD", dec("10")), ("CODcr", dec("11"))]) }
    }
}
