// HJ 633-2012 Table 1 and HJ 633-2026 Table 3 (the official PDFs in caiyunapp/aqi-hub docs/; see
// reference/standards.md §1.1). Only PM10 and PM2.5 differ between the editions. µg/m³, CO mg/m³.

extension AQIBreakpointTable {
    /// The HJ 633 tables of an edition.
    static func hj633(_ standard: AQIStandard) -> [AQIBreakpointTable] {
        let is2026 = standard == .hj633_2026
        let source = is2026 ? StandardSource("HJ 633-2026", "Table 3", .verified) : StandardSource("HJ 633-2012", "Table 1", .verified)
        let ug = "µg/m³"
        var tables: [AQIBreakpointTable] = [
            .continuous(.so2, .day, ug, ["0", "50", "150", "475", "800", "1600", "2100", "2620"], source: source),
            // Above 800 µg/m³ the 1-h SO2 is not indexed (2012) or is fixed at 200 (2026): see AirQualityIndex.
            .continuous(.so2, .hour, ug, ["0", "150", "500", "650", "800"], source: source),
            .continuous(.no2, .day, ug, ["0", "40", "80", "180", "280", "565", "750", "940"], source: source),
            .continuous(.no2, .hour, ug, ["0", "100", "200", "700", "1200", "2340", "3090", "3840"], source: source),
            .continuous(.co, .day, "mg/m³", ["0", "2", "4", "14", "24", "36", "48", "60"], source: source),
            .continuous(.co, .hour, "mg/m³", ["0", "5", "10", "35", "60", "90", "120", "150"], source: source),
            .continuous(.o3, .hour, ug, ["0", "160", "200", "300", "400", "800", "1000", "1200"], source: source),
            // Above 800 µg/m³ the 8-h O3 is not indexed (2012) or is fixed at 300 (2026).
            .continuous(.o3, .eightHours, ug, ["0", "100", "160", "215", "265", "800"], source: source),
        ]
        let pm10 = is2026 ? "120" : "150"
        let pm25 = is2026 ? "60" : "75"
        tables.append(.continuous(.pm10, .day, ug, ["0", "50", pm10, "250", "350", "420", "500", "600"], source: source))
        tables.append(.continuous(.pm25, .day, ug, ["0", "35", pm25, "115", "150", "250", "350", "500"], source: source))
        return tables
    }
}
