public import Monitoring

/// The items of one factor code in a packet, such as `a34004-Avg`, `a34004-Max` and `a34004-Flag`.
public struct HJ212Reading: Sendable, Hashable {
    /// The items, in packet order; never empty.
    public var values: [HJ212Value]

    /// The factor code as first sent.
    public var code: String { values[0].code }
    /// The catalogue id of the code, or `nil`.
    public var parameter: String? { values[0].parameter }
    /// The data flag of the reading, if any item carries one.
    public var flag: DataFlag? { values.first { $0.flag != nil }?.flag }
    /// The `SampleTime` of the reading, if sent.
    public var sampleTime: CivilTime? { values.first { $0.field == .sampleTime }?.time }

    /// The number of the first item with this field (`reading[.avg]`).
    public subscript(field: HJ212Field) -> Double? { values.first { $0.field == field }?.number }

    /// The measured fields and their numbers, in packet order (`Rtd`, `Avg`, `Min`, `Max`, `Cou`, `Zs…`, noise data).
    public var measurements: [(field: HJ212Field, number: Double)] {
        values.compactMap { v in v.field.isMeasurement ? v.number.map { (v.field, $0) } : nil }
    }
}
