public import Monitoring

extension SimulatedParameter {
    /// A typical level of a parameter, in its stored unit, where a station of `kind` measures it:
    /// the base for parameters without a limit at the station. `nil` for parameters not listed.
    public static func typicalLevel(_ id: String, kind: StationKind) -> Double? {
        switch kind.medium {
        case .ambient:
            return [
                "PM2.5": 45, "PM10": 80, "TSP": 150, "SO2": 12, "NO2": 35, "NO": 15, "NOx": 55, "CO": 0.8, "O3": 90,
                "H2S": 4, "NH3": 40, "NMHC": 0.8, "TEMP": 15, "RH": 60, "PRES": 101, "WS": 2.5, "WD": 180,
            ][id]
        case .fluegas:
            return [
                "Dust": 8, "SO2": 60, "NOx": 120, "NO": 70, "NO2": 10, "CO": 50, "O2": 9, "Q-gas": 300, "Velocity": 12,
                "T-gas": 120, "P-gas": 0.3, "H2O-gas": 9, "HCl": 8, "H2S": 2, "NH3": 2, "NMHC": 20,
            ][id]
        case .water:
            return [
                "Q-water": 500, "pH": 7.3, "COD": 30, "NH3-N": 1.5, "TP": 0.3, "TN": 10, "SS": 10, "BOD5": 6, "TOC": 10,
                "CODMn": 4, "DO": 7.5, "WT": 18, "EC": 800, "Turbidity": 8, "Oil": 0.4, "Phenol": 0.05, "Hg": 0.05,
                "Cd": 1, "Cr": 0.05, "Cr6": 8, "As": 4, "Pb": 8,
            ][id]
        }
    }

    /// The daily cycle and the relative noise of a parameter at a station of `kind`.
    ///
    /// Ozone peaks late in the afternoon; traffic pollutants (NO₂, NO, NOx, CO, particles) in the
    /// morning and evening rush hours; humidity before dawn. Stacks follow the plant's daytime
    /// load, mildly. Water is flat-ish: flows follow the day, concentrations barely move, and the
    /// dissolved oxygen of a river rises with the afternoon's photosynthesis.
    public static func behaviour(_ id: String, kind: StationKind) -> (pattern: DiurnalPattern, noise: Double) {
        switch kind {
        case .ambientAir:
            switch id {
            case "O3": return (DiurnalPattern(.afternoonPeak, amplitude: 0.45), 0.08)
            case "NO2", "NO", "NOx", "CO": return (DiurnalPattern(.rushHours, amplitude: 0.3), 0.08)
            case "PM2.5", "PM10", "TSP": return (DiurnalPattern(.rushHours, amplitude: 0.25), 0.07)
            case "SO2": return (DiurnalPattern(.rushHours, amplitude: 0.15), 0.08)
            case "TEMP": return (DiurnalPattern(.afternoonPeak, amplitude: 0.3), 0.02)
            case "RH": return (DiurnalPattern(.earlyMorning, amplitude: 0.25), 0.04)
            case "WS": return (DiurnalPattern(.afternoonPeak, amplitude: 0.35), 0.15)
            case "PRES": return (DiurnalPattern(.flat, amplitude: 0), 0.001)
            case "WD": return (DiurnalPattern(.flat, amplitude: 0), 0.3)
            default: return (DiurnalPattern(.rushHours, amplitude: 0.2), 0.08)
            }
        case .stack:
            switch id {
            case "O2": return (DiurnalPattern(.flat, amplitude: 0), 0.03)
            case "T-gas", "P-gas", "H2O-gas": return (DiurnalPattern(.daytime, amplitude: 0.03), 0.02)
            case "Q-gas", "Velocity": return (DiurnalPattern(.daytime, amplitude: 0.12), 0.03)
            default: return (DiurnalPattern(.daytime, amplitude: 0.1), 0.06)
            }
        case .dischargeOutlet:
            switch id {
            case "Q-water": return (DiurnalPattern(.daytime, amplitude: 0.25), 0.04)
            case "pH": return (DiurnalPattern(.flat, amplitude: 0), 0.01)
            case "WT": return (DiurnalPattern(.afternoonPeak, amplitude: 0.04), 0.01)
            default: return (DiurnalPattern(.daytime, amplitude: 0.08), 0.05)
            }
        case .surfaceWater:
            switch id {
            case "DO": return (DiurnalPattern(.afternoonPeak, amplitude: 0.12), 0.03)
            case "WT": return (DiurnalPattern(.afternoonPeak, amplitude: 0.05), 0.01)
            case "pH": return (DiurnalPattern(.afternoonPeak, amplitude: 0.01), 0.005)
            default: return (DiurnalPattern(.flat, amplitude: 0.04), 0.04)
            }
        }
    }
}
