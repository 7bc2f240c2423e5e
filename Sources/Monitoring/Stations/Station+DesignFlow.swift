import Foundation

extension Station {
    /// The label holding a station's design (typical) flow, such as `8000 m3/d` for an outlet or
    /// `650000 m3/h` for a stack: what its flow meter reads on an ordinary day. The simulator runs
    /// the station's flow at it, so demo loads are the size the station's own file declares.
    public static let designFlowLabel = "design_flow"

    /// The station's design flow in `unit` (its flow parameter's stored unit), from its
    /// ``designFlowLabel`` label; nil without the label, or when it is not a number and a flow unit.
    public func designFlow(in unit: MeasurementUnit) -> Double? {
        guard let text = labels[Self.designFlowLabel] else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let split = trimmed.firstIndex(where: { !($0.isNumber || $0 == "." || $0 == "," || $0 == "_") }),
            let value = Double(trimmed[..<split].replacingOccurrences(of: ",", with: "").replacingOccurrences(of: "_", with: "")),
            let from = MeasurementUnit(parsing: String(trimmed[split...])), let factor = from.factor(to: unit)
        else { return nil }
        return value * factor
    }
}
