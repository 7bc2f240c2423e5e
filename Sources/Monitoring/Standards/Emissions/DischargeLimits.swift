public import Foundation

/// Discharge limits as data: GB 18918-2002 (municipal wastewater treatment plants), GB 13223-2011
/// (thermal power plants) and the ultra-low emission levels of coal-fired units.
///
/// ```swift
/// let limits = DischargeLimits.gb18918(.grade1A)
/// limits.first { $0.parameter == "COD" }?.maximum  // 50 mg/L, daily mean
/// ```
///
/// Local standards are often stricter (the "准Ⅳ类" COD 30, NH3-N 1.5, TP 0.3 mg/L): outlets should be able to
/// override these values in configuration.
public enum DischargeLimits {
    /// The grades of GB 18918-2002 Table 1.
    public enum GB18918Grade: String, Sendable, Hashable, Codable, CaseIterable {
        /// 一级 A: reuse, or discharge to water of low dilution capacity.
        case grade1A = "1A"
        /// 一级 B: discharge to GB 3838 class Ⅲ water (outside drinking-water and swimming zones), lakes, reservoirs.
        case grade1B = "1B"
        /// 二级: discharge to class Ⅳ/Ⅴ water.
        case grade2 = "2"
        /// 三级: non-key-basin towns with enhanced primary treatment.
        case grade3 = "3"
    }

    /// The GB 18918-2002 Table 1 basic-control-item limits of a grade (daily means).
    ///
    /// - Parameters:
    ///   - grade: The grade that applies to the plant.
    ///   - waterAbove12C: Whether the water temperature is above 12 °C (NH3-N: the value outside the
    ///     brackets above 12 °C, the bracketed one at or below [M]).
    ///   - builtBefore2006: Whether the plant was built by 2005-12-31 (the laxer TP limits).
    /// - Returns: The limits; grade 3 lacks TN, NH3-N and fecal coliform, grade 2 lacks TN.
    public static func gb18918(_ grade: GB18918Grade, waterAbove12C: Bool = true, builtBefore2006: Bool = false) -> [DischargeLimit] {
        let source = StandardSource("GB 18918-2002", "Table 1", .secondary)
        let column = GB18918Grade.allCases.firstIndex(of: grade)!
        var limits: [DischargeLimit] = []
        func add(
            _ id: String, _ values: [String?], unit: String = "mg/L", condition: String? = nil,
            confidence: StandardSource.Confidence = .secondary
        ) {
            guard let text = values[column], let value = Decimal(plainNumeral: text) else { return }
            var s = source
            s.confidence = confidence
            limits.append(DischargeLimit(parameter: id, maximum: value, unit: unit, averaging: .dailyMean, condition: condition, source: s))
        }
        add("COD", ["50", "60", "100", "120"], condition: grade == .grade3 ? "or removal > 60 % when influent COD > 350 mg/L" : nil)
        add("BOD5", ["10", "20", "30", "60"], condition: grade == .grade3 ? "or removal > 50 % when influent BOD5 > 160 mg/L [M]" : nil)
        add("SS", ["10", "20", "30", "50"])
        add("AnimalOil", ["1", "3", "5", "20"])
        add("Oil", ["1", "3", "5", "15"])
        add("LAS", ["0.5", "1", "2", "5"])
        add("TN", ["15", "20", nil, nil])
        add(
            "NH3-N", waterAbove12C ? ["5", "8", "25", nil] : ["8", "15", "30", nil],
            condition: waterAbove12C ? "water temperature > 12 °C" : "water temperature ≤ 12 °C",
            confidence: waterAbove12C ? .secondary : .memory)
        add(
            "TP", builtBefore2006 ? ["1", "1.5", "3", "5"] : ["0.5", "1", "3", "5"],
            condition: builtBefore2006 ? "plant built by 2005-12-31" : "plant built from 2006-01-01")
        add("Colour", ["30", "30", "40", "50"], unit: "dilution")
        add("FecalColiform", ["1000", "10000", "10000", nil], unit: "个/L")
        limits.append(
            DischargeLimit(parameter: "pH", minimum: 6, maximum: 9, unit: "", averaging: .dailyMean, source: source))
        return limits
    }

    /// The kinds of thermal-power sources of GB 13223-2011.
    public enum ThermalPowerSource: String, Sendable, Hashable, Codable, CaseIterable {
        /// A coal-fired boiler (reference O2 6 %).
        case coalBoiler
        /// An oil-fired boiler (reference O2 3 %).
        case oilBoiler
        /// An oil-fired gas turbine (reference O2 15 %).
        case oilTurbine
        /// A natural-gas-fired boiler (reference O2 3 %).
        case naturalGasBoiler
        /// A boiler fired with other gas (reference O2 3 %).
        case otherGasBoiler
        /// A natural-gas-fired turbine (reference O2 15 %).
        case naturalGasTurbine
        /// A turbine fired with other gas (reference O2 15 %).
        case otherGasTurbine

        /// The reference O2 content in percent (GB 13223-2011 [M]: boilers 6 % coal, 3 % oil and gas; turbines 15 %).
        public var referenceOxygen: Decimal {
            switch self {
            case .coalBoiler: 6
            case .oilBoiler, .naturalGasBoiler, .otherGasBoiler: 3
            case .oilTurbine, .naturalGasTurbine, .otherGasTurbine: 15
            }
        }
    }

    /// The GB 13223-2011 limits of a source (mg/m³, dry standard state, at its reference O2, 1-h means).
    ///
    /// - Parameters:
    ///   - source: The kind of unit.
    ///   - existing: Whether the unit is existing (in service before 2012-01-01; limits from 2014-07-01) rather than new.
    ///   - specialLimits: Whether Table 2's special limits for key regions apply.
    ///   - southwest: Coal boilers in Guangxi, Chongqing, Sichuan and Guizhou (SO2 200 new, 400 existing) [M].
    ///   - nitrogenOxideExemption: W-flame boilers, existing CFB boilers, and boilers commissioned or approved
    ///     by 2003-12-31 (NOx 200) [S].
    /// - Returns: Dust (烟尘), SO2, NOx (as NO2) and, for coal, Hg.
    public static func gb13223(
        _ source: ThermalPowerSource, existing: Bool = false, specialLimits: Bool = false, southwest: Bool = false,
        nitrogenOxideExemption: Bool = false
    ) -> [DischargeLimit] {
        let table = specialLimits ? "Table 2" : "Table 1"
        func limit(_ id: String, _ value: Decimal, _ confidence: StandardSource.Confidence, _ condition: String? = nil) -> DischargeLimit {
            DischargeLimit(
                parameter: id, maximum: value, unit: "mg/m³", averaging: .hourlyMean, referenceOxygen: source.referenceOxygen,
                condition: condition, source: StandardSource("GB 13223-2011", table, confidence))
        }
        switch (source, specialLimits) {
        case (.coalBoiler, false):
            let so2: Decimal = existing ? (southwest ? 400 : 200) : (southwest ? 200 : 100)
            return [
                limit("Dust", 30, .secondary),
                limit("SO2", so2, southwest ? .memory : .secondary, southwest ? "Guangxi, Chongqing, Sichuan, Guizhou" : nil),
                limit(
                    "NOx", nitrogenOxideExemption ? 200 : 100, .secondary,
                    nitrogenOxideExemption ? "W-flame, existing CFB or pre-2004 boiler" : nil),
                limit("Hg", Decimal(string: "0.03")!, .secondary),
            ]
        case (.coalBoiler, true):
            return [
                limit("Dust", 20, .secondary), limit("SO2", 50, .secondary), limit("NOx", 100, .secondary),
                limit("Hg", Decimal(string: "0.03")!, .secondary),
            ]
        case (.oilBoiler, false):
            return [limit("Dust", 30, .memory), limit("SO2", existing ? 200 : 100, .memory), limit("NOx", existing ? 200 : 100, .memory)]
        case (.oilTurbine, false):
            return [limit("Dust", 30, .memory), limit("SO2", existing ? 200 : 100, .memory), limit("NOx", 120, .memory)]
        case (.oilBoiler, true), (.oilTurbine, true):
            return [limit("Dust", 20, .memory), limit("SO2", 50, .memory), limit("NOx", source == .oilTurbine ? 120 : 100, .memory)]
        case (.naturalGasBoiler, false):
            return [limit("Dust", 5, .memory), limit("SO2", 35, .secondary), limit("NOx", 100, .secondary)]
        case (.otherGasBoiler, false):
            return [limit("Dust", 10, .memory), limit("SO2", 100, .secondary), limit("NOx", 200, .secondary)]
        case (.naturalGasTurbine, false):
            return [limit("Dust", 5, .memory), limit("SO2", 35, .secondary), limit("NOx", 50, .secondary)]
        case (.otherGasTurbine, false):
            return [limit("Dust", 10, .memory), limit("SO2", 100, .secondary), limit("NOx", 120, .secondary)]
        case (.naturalGasBoiler, true), (.otherGasBoiler, true):
            return [limit("Dust", 5, .memory), limit("SO2", 35, .memory), limit("NOx", 100, .memory)]
        case (.naturalGasTurbine, true), (.otherGasTurbine, true):
            return [limit("Dust", 5, .memory), limit("SO2", 35, .memory), limit("NOx", 50, .memory)]
        }
    }

    /// The ultra-low emission levels of coal-fired power units (超低排放): dust 10, SO2 35, NOx 50 mg/m³ at 6 % O2.
    ///
    /// From 《煤电节能减排升级与改造行动计划（2014—2020年）》, extended nationwide in 2015 [S]. Some provinces set
    /// dust to 5 mg/m³ (Shanxi DB14/T 1703-2018): pass `dust: 5`.
    public static func ultraLowCoalPower(dust: Decimal = 10) -> [DischargeLimit] {
        let source = StandardSource("煤电节能减排升级与改造行动计划（2014—2020年）", "ultra-low emission", .secondary)
        return [("Dust", dust), ("SO2", 35), ("NOx", 50)].map { id, value in
            DischargeLimit(parameter: id, maximum: value, unit: "mg/m³", averaging: .hourlyMean, referenceOxygen: 6, source: source)
        }
    }
}
