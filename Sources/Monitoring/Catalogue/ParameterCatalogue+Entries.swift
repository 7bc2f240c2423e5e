// The catalogue's entries. Codes are from HJ 212-2017 Tables B.1/B.2 (HJ 524/525-2009) with their
// HJ/T 212-2005 predecessors; ranges are plausible instrument ranges (a value outside can only be
// an instrument or transmission error), wide enough to hold real extremes such as the 999 µg/m³
// cap of Beijing's PM monitors or 10 mg/m³ CO episodes.

extension ParameterCatalogue {
    static let standardEntries: [Parameter] = water + fluegas + ambient + meteorology

    private static func w(_ unit: MeasurementUnit, _ range: ClosedRange<Double>) -> [Medium: Parameter.Measurement] {
        [.water: .init(unit, range)]
    }

    private static let water: [Parameter] = [
        Parameter(
            id: "Q-water", code2017: "w00000", code2005: "B01", nameEN: "Effluent flow", nameZH: "污水流量",
            media: w(.litrePerSecond, 0...100_000), aliases: ["effluent-flow", "water-flow"]),
        Parameter(
            id: "pH", code2017: "w01001", code2005: "001", nameEN: "pH", nameZH: "pH值",
            media: w(.dimensionless, 0...14)),
        Parameter(
            id: "COD", code2017: "w01018", code2005: "011", nameEN: "Chemical oxygen demand (CODcr)",
            nameZH: "化学需氧量", media: w(.milligramPerLitre, 0...100_000), aliases: ["CODcr"]),
        Parameter(
            id: "NH3-N", code2017: "w21003", code2005: "060", nameEN: "Ammonia nitrogen", nameZH: "氨氮",
            media: w(.milligramPerLitre, 0...10_000), aliases: ["NH3N", "ammonia"]),
        Parameter(
            id: "TP", code2017: "w21011", code2005: "101", nameEN: "Total phosphorus", nameZH: "总磷",
            media: w(.milligramPerLitre, 0...1_000)),
        Parameter(
            id: "TN", code2017: "w21001", code2005: "065", nameEN: "Total nitrogen", nameZH: "总氮",
            media: w(.milligramPerLitre, 0...10_000)),
        Parameter(
            id: "SS", code2017: "w01012", code2005: "003", nameEN: "Suspended solids", nameZH: "悬浮物",
            media: w(.milligramPerLitre, 0...100_000)),
        Parameter(
            id: "BOD5", code2017: "w01017", code2005: "010", nameEN: "Five-day biochemical oxygen demand",
            nameZH: "五日生化需氧量", media: w(.milligramPerLitre, 0...50_000)),
        Parameter(
            id: "TOC", code2017: "w01020", code2005: "015", nameEN: "Total organic carbon", nameZH: "总有机碳",
            media: w(.milligramPerLitre, 0...50_000)),
        Parameter(
            id: "CODMn", code2017: "w01019", nameEN: "Permanganate index", nameZH: "高锰酸盐指数",
            media: w(.milligramPerLitre, 0...1_000), aliases: ["permanganate-index"]),
        Parameter(
            id: "DO", code2017: "w01009", nameEN: "Dissolved oxygen", nameZH: "溶解氧",
            media: w(.milligramPerLitre, 0...25)),
        Parameter(
            id: "WT", code2017: "w01010", nameEN: "Water temperature", nameZH: "水温",
            media: w(.degreeCelsius, -5...100), aliases: ["water-temperature"]),
        Parameter(
            id: "EC", code2017: "w01014", nameEN: "Conductivity", nameZH: "电导率",
            media: w(.microsiemensPerCentimetre, 0...200_000), aliases: ["conductivity"]),
        Parameter(
            id: "Turbidity", code2017: "w01003", nameEN: "Turbidity", nameZH: "浊度",
            media: w(.nephelometricTurbidityUnit, 0...10_000)),
        Parameter(
            id: "Oil", code2017: "w22001", code2005: "080", nameEN: "Petroleum", nameZH: "石油类",
            media: w(.milligramPerLitre, 0...1_000), aliases: ["petroleum"]),
        Parameter(
            id: "Phenol", code2017: "w23002", code2005: "110", nameEN: "Volatile phenol", nameZH: "挥发酚",
            media: w(.milligramPerLitre, 0...1_000)),
        Parameter(
            id: "Hg", code2017: "w20111", code2005: "020", nameEN: "Total mercury", nameZH: "总汞",
            media: w(.microgramPerLitre, 0...10_000)),
        Parameter(
            id: "Cd", code2017: "w20115", code2005: "022", nameEN: "Total cadmium", nameZH: "总镉",
            media: w(.microgramPerLitre, 0...100_000)),
        Parameter(
            id: "Cr", code2017: "w20116", code2005: "023", nameEN: "Total chromium", nameZH: "总铬",
            media: w(.milligramPerLitre, 0...1_000)),
        Parameter(
            id: "Cr6", code2017: "w20117", code2005: "024", nameEN: "Hexavalent chromium", nameZH: "六价铬",
            media: w(.microgramPerLitre, 0...1_000_000), aliases: ["Cr(VI)"]),
        Parameter(
            id: "As", code2017: "w20119", code2005: "026", nameEN: "Total arsenic", nameZH: "总砷",
            media: w(.microgramPerLitre, 0...100_000)),
        Parameter(
            id: "Pb", code2017: "w20120", code2005: "027", nameEN: "Total lead", nameZH: "总铅",
            media: w(.microgramPerLitre, 0...1_000_000)),
    ]

    private static let fluegas: [Parameter] = [
        Parameter(
            id: "Q-gas", code2017: "a00000", code2005: "B02", nameEN: "Flue-gas flow", nameZH: "废气流量",
            media: [.fluegas: .init(.cubicMetrePerSecond, 0...10_000)], aliases: ["fluegas-flow", "gas-flow"]),
        Parameter(
            id: "SO2", code2017: "a21026", code2005: "02", nameEN: "Sulphur dioxide", nameZH: "二氧化硫",
            media: [.fluegas: .init(.milligramPerCubicMetre, 0...20_000), .ambient: .init(.microgramPerCubicMetre, 0...2_620)]),
        Parameter(
            id: "NOx", code2017: "a21002", code2005: "03", nameEN: "Nitrogen oxides (as NO2)", nameZH: "氮氧化物",
            media: [.fluegas: .init(.milligramPerCubicMetre, 0...10_000), .ambient: .init(.microgramPerCubicMetre, 0...5_000)]),
        Parameter(
            id: "NO", code2017: "a21003", nameEN: "Nitric oxide", nameZH: "一氧化氮",
            media: [.fluegas: .init(.milligramPerCubicMetre, 0...10_000), .ambient: .init(.microgramPerCubicMetre, 0...5_000)]),
        Parameter(
            id: "NO2", code2017: "a21004", nameEN: "Nitrogen dioxide", nameZH: "二氧化氮",
            media: [.fluegas: .init(.milligramPerCubicMetre, 0...5_000), .ambient: .init(.microgramPerCubicMetre, 0...3_760)]),
        Parameter(
            id: "CO", code2017: "a21005", code2005: "04", nameEN: "Carbon monoxide", nameZH: "一氧化碳",
            media: [.fluegas: .init(.milligramPerCubicMetre, 0...20_000), .ambient: .init(.milligramPerCubicMetre, 0...62.5)]),
        Parameter(
            id: "Dust", code2017: "a34013", code2005: "01", nameEN: "Particulate matter (smoke dust)", nameZH: "烟尘",
            media: [.fluegas: .init(.milligramPerCubicMetre, 0...10_000)], aliases: ["particulates", "PM"]),
        Parameter(
            id: "O2", code2017: "a19001", code2005: "S01", nameEN: "Oxygen content", nameZH: "氧含量",
            media: [.fluegas: .init(.percent, 0...25)]),
        Parameter(
            id: "Velocity", code2017: "a01011", code2005: "S02", nameEN: "Flue-gas velocity", nameZH: "烟气流速",
            media: [.fluegas: .init(.metrePerSecond, 0...60)]),
        Parameter(
            id: "T-gas", code2017: "a01012", code2005: "S03", nameEN: "Flue-gas temperature", nameZH: "烟气温度",
            media: [.fluegas: .init(.degreeCelsius, -40...1_200)], aliases: ["flue-temperature"]),
        Parameter(
            id: "P-gas", code2017: "a01013", code2005: "S08", nameEN: "Flue-gas pressure", nameZH: "烟气压力",
            media: [.fluegas: .init(.kilopascal, -20...200)]),
        Parameter(
            id: "H2O-gas", code2017: "a01014", code2005: "S05", nameEN: "Flue-gas humidity", nameZH: "烟气湿度",
            media: [.fluegas: .init(.percent, 0...100)], aliases: ["flue-humidity"]),
        Parameter(
            id: "HCl", code2017: "a21024", code2005: "08", nameEN: "Hydrogen chloride", nameZH: "氯化氢",
            media: [.fluegas: .init(.milligramPerCubicMetre, 0...5_000)]),
        Parameter(
            id: "H2S", code2017: "a21028", code2005: "05", nameEN: "Hydrogen sulphide", nameZH: "硫化氢",
            media: [.fluegas: .init(.milligramPerCubicMetre, 0...5_000), .ambient: .init(.microgramPerCubicMetre, 0...10_000)]),
        Parameter(
            id: "NH3", code2017: "a21001", code2005: "10", nameEN: "Ammonia", nameZH: "氨",
            media: [.fluegas: .init(.milligramPerCubicMetre, 0...5_000), .ambient: .init(.microgramPerCubicMetre, 0...10_000)]),
        Parameter(
            id: "NMHC", code2017: "a24088", nameEN: "Non-methane hydrocarbons", nameZH: "非甲烷总烃",
            media: [.fluegas: .init(.milligramPerCubicMetre, 0...10_000), .ambient: .init(.milligramPerCubicMetre, 0...100)]),
    ]

    private static let ambient: [Parameter] = [
        Parameter(
            id: "PM2.5", code2017: "a34004", nameEN: "Fine particulate matter", nameZH: "细颗粒物",
            media: [.ambient: .init(.microgramPerCubicMetre, 0...1_000)], aliases: ["PM25", "PM2_5"]),
        Parameter(
            id: "PM10", code2017: "a34002", nameEN: "Inhalable particulate matter", nameZH: "可吸入颗粒物",
            media: [.ambient: .init(.microgramPerCubicMetre, 0...2_000)]),
        Parameter(
            id: "TSP", code2017: "a34001", nameEN: "Total suspended particulates", nameZH: "总悬浮颗粒物",
            media: [.ambient: .init(.microgramPerCubicMetre, 0...10_000)]),
        Parameter(
            id: "O3", code2017: "a05024", nameEN: "Ozone", nameZH: "臭氧",
            media: [.ambient: .init(.microgramPerCubicMetre, 0...2_140)], aliases: ["ozone"]),
    ]

    private static let meteorology: [Parameter] = [
        Parameter(
            id: "TEMP", code2017: "a01001", nameEN: "Air temperature", nameZH: "温度",
            media: [.ambient: .init(.degreeCelsius, -60...60)], aliases: ["temperature"]),
        Parameter(
            id: "RH", code2017: "a01002", nameEN: "Relative humidity", nameZH: "湿度",
            media: [.ambient: .init(.percent, 0...100)], aliases: ["humidity"]),
        Parameter(
            id: "PRES", code2017: "a01006", nameEN: "Atmospheric pressure", nameZH: "气压",
            media: [.ambient: .init(.kilopascal, 50...110)], aliases: ["pressure"]),
        Parameter(
            id: "WS", code2017: "a01007", nameEN: "Wind speed", nameZH: "风速",
            media: [.ambient: .init(.metrePerSecond, 0...75)], aliases: ["WSPM", "wind-speed"]),
        Parameter(
            id: "WD", code2017: "a01008", nameEN: "Wind direction", nameZH: "风向",
            media: [.ambient: .init(.degree, 0...360)], aliases: ["wind-direction"]),
    ]
}
