/// What a monitoring station watches; it decides the medium of its parameters.
public enum StationKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// A wastewater discharge outlet of a plant (废水排放口).
    case dischargeOutlet = "discharge-outlet"
    /// A flue-gas stack with CEMS (废气排放口).
    case stack = "stack"
    /// An ambient air-quality monitoring site (环境空气质量监测站).
    case ambientAir = "ambient-air"
    /// A surface-water monitoring section (地表水断面).
    case surfaceWater = "surface-water"

    /// The medium the station's parameters are measured in.
    public var medium: Medium {
        switch self {
        case .dischargeOutlet, .surfaceWater: .water
        case .stack: .fluegas
        case .ambientAir: .ambient
        }
    }
}
