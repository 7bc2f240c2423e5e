// EPA-454/B-24-002 (May 2024) Table 6: the 2024 PM2.5 breakpoints and one 301–500 "Hazardous" band
// (reference/standards.md §2.1). PM µg/m³, O3 and CO ppm, SO2 and NO2 ppb.

extension AQIBreakpointTable {
    /// The EPA tables of the 2024 Technical Assistance Document.
    static let epa2024: [AQIBreakpointTable] = {
        let source = StandardSource("EPA-454/B-24-002", "Table 6", .verified)
        return [
            // 8-h O3 does not define AQI ≥ 301: those values come from 1-h O3.
            .bands(.o3, .eightHours, "ppm", ["0.000-0.054", "0.055-0.070", "0.071-0.085", "0.086-0.105", "0.106-0.200"], source: source),
            // 1-h O3 is indexed from 0.125 ppm (AQI 101) only.
            .bands(.o3, .hour, "ppm", ["0.125-0.164", "0.165-0.204", "0.205-0.404", "0.405-0.604"], firstBand: 2, source: source),
            .bands(.pm25, .day, "µg/m³", ["0.0-9.0", "9.1-35.4", "35.5-55.4", "55.5-125.4", "125.5-225.4", "225.5-325.4"], source: source),
            .bands(.pm10, .day, "µg/m³", ["0-54", "55-154", "155-254", "255-354", "355-424", "425-604"], source: source),
            .bands(.co, .eightHours, "ppm", ["0.0-4.4", "4.5-9.4", "9.5-12.4", "12.5-15.4", "15.5-30.4", "30.5-50.4"], source: source),
            // 1-h SO2 below 305 ppb; from 305 ppb the 24-h average is used (AQI 201 and up).
            .bands(.so2, .hour, "ppb", ["0-35", "36-75", "76-185", "186-304"], source: source),
            .bands(.so2, .day, "ppb", ["305-604", "605-1004"], firstBand: 4, source: source),
            .bands(.no2, .hour, "ppb", ["0-53", "54-100", "101-360", "361-649", "650-1249", "1250-2049"], source: source),
        ]
    }()

    /// The decimals the EPA truncates a concentration to before indexing (TAD §IV step 1).
    static func epaPrecision(_ pollutant: AQIPollutant) -> Int {
        switch pollutant {
        case .o3: 3
        case .pm25, .co: 1
        case .pm10, .so2, .no2: 0
        }
    }
}
