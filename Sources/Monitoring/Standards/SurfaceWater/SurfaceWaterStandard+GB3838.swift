import Foundation

// GB 3838-2002 Table 1, basic items (reference/standards.md §3.1, three reposted copies that agree: [S]).
// mg/L unless stated; the heavy metals are in mg/L here although the catalogue stores them in µg/L.

extension SurfaceWaterStandard {
    static let gb3838Limits: [SurfaceWaterLimit] = {
        let source = StandardSource("GB 3838-2002", "Table 1", .secondary)
        let both: Set<WaterBodyType> = [.river, .lake]
        func d(_ text: String) -> Decimal { Decimal(plainNumeral: text)! }
        func atMost(_ id: String, _ zh: String, _ limits: [String], unit: String = "mg/L", bodies: Set<WaterBodyType> = both, counts: Bool = true)
            -> SurfaceWaterLimit
        {
            SurfaceWaterLimit(
                parameter: id, nameZH: zh, unit: unit, requirements: limits.map { .atMost(d($0)) }, waterBodies: bodies,
                countsForSectionClass: counts, source: source)
        }
        return [
            SurfaceWaterLimit(
                parameter: "pH", nameZH: "pH值（无量纲）", unit: "", requirements: Array(repeating: .within(d("6")...d("9")), count: 5),
                waterBodies: both, countsForSectionClass: true, source: source),
            // Class I also accepts 90 % saturation; only the concentration form is implemented.
            SurfaceWaterLimit(
                parameter: "DO", nameZH: "溶解氧", unit: "mg/L", requirements: ["7.5", "6", "5", "3", "2"].map { .atLeast(d($0)) },
                waterBodies: both, countsForSectionClass: true, source: source),
            atMost("CODMn", "高锰酸盐指数", ["2", "4", "6", "10", "15"]),
            atMost("COD", "化学需氧量(COD)", ["15", "15", "20", "30", "40"]),
            atMost("BOD5", "五日生化需氧量(BOD5)", ["3", "3", "4", "6", "10"]),
            atMost("NH3-N", "氨氮(NH3-N)", ["0.15", "0.5", "1.0", "1.5", "2.0"]),
            atMost("TP", "总磷(以P计)", ["0.02", "0.1", "0.2", "0.3", "0.4"], bodies: [.river]),
            atMost("TP", "总磷(以P计，湖、库)", ["0.01", "0.025", "0.05", "0.1", "0.2"], bodies: [.lake]),
            // Total nitrogen is limited for lakes and reservoirs and evaluated apart from the section class.
            atMost("TN", "总氮(湖、库，以N计)", ["0.2", "0.5", "1.0", "1.5", "2.0"], bodies: [.lake], counts: false),
            atMost("Cu", "铜", ["0.01", "1.0", "1.0", "1.0", "1.0"]),
            atMost("Zn", "锌", ["0.05", "1.0", "1.0", "2.0", "2.0"]),
            atMost("F", "氟化物(以F-计)", ["1.0", "1.0", "1.0", "1.5", "1.5"]),
            atMost("Se", "硒", ["0.01", "0.01", "0.01", "0.02", "0.02"]),
            atMost("As", "砷", ["0.05", "0.05", "0.05", "0.1", "0.1"]),
            atMost("Hg", "汞", ["0.00005", "0.00005", "0.0001", "0.001", "0.001"]),
            atMost("Cd", "镉", ["0.001", "0.005", "0.005", "0.005", "0.01"]),
            atMost("Cr6", "铬(六价)", ["0.01", "0.05", "0.05", "0.05", "0.1"]),
            atMost("Pb", "铅", ["0.01", "0.01", "0.05", "0.05", "0.1"]),
            atMost("CN", "氰化物", ["0.005", "0.05", "0.2", "0.2", "0.2"]),
            atMost("Phenol", "挥发酚", ["0.002", "0.002", "0.005", "0.01", "0.1"]),
            atMost("Oil", "石油类", ["0.05", "0.05", "0.05", "0.5", "1.0"]),
            atMost("LAS", "阴离子表面活性剂", ["0.2", "0.2", "0.2", "0.3", "0.3"]),
            atMost("Sulfide", "硫化物", ["0.05", "0.1", "0.2", "0.5", "1.0"]),
            atMost("FecalColiform", "粪大肠菌群", ["200", "2000", "10000", "20000", "40000"], unit: "个/L", counts: false),
        ]
    }()

    /// Names people use for the parameters the catalogue does not know.
    static let gb3838Aliases: [String: String] = [
        "copper": "Cu", "zinc": "Zn", "fluoride": "F", "selenium": "Se", "cyanide": "CN", "surfactant": "LAS",
        "anionic-surfactant": "LAS", "s2-": "Sulfide", "sulphide": "Sulfide", "fecal-coliform": "FecalColiform",
        "faecal-coliform": "FecalColiform", "coliform": "FecalColiform", "fc": "FecalColiform",
    ]
}
