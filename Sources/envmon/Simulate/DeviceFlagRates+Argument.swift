import Collectors
import Foundation

extension DeviceFlagRates {
    /// Parses `maintenance=0.01,calibration=0.01,fault=0.005,stopped=0` (also `M=…`, `C=…`, `D=…`,
    /// `F=…`); rates not named are 0, and `none` sets all to 0.
    init(argument text: String, runSeconds: Int64) throws {
        self.init(runSeconds: runSeconds)
        if text == "none" || text.isEmpty { return }
        for item in text.split(separator: ",") {
            let pair = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, let rate = Double(pair[1]), (0...1).contains(rate) else {
                throw CLIError("--flags: '\(item)' is not NAME=PROBABILITY (e.g. fault=0.005)")
            }
            switch pair[0].lowercased() {
            case "maintenance", "m": maintenance = rate
            case "calibration", "c": calibration = rate
            case "fault", "d": fault = rate
            case "stopped", "f": stopped = rate
            default: throw CLIError("--flags: unknown flag '\(pair[0])' (maintenance, calibration, fault, stopped)")
            }
        }
        guard isValid else { throw CLIError("--flags: the probabilities add up to more than 1") }
    }
}
