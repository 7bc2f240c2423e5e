/// A horizontal line at a value: a discharge limit, a standard's limit, an allowance.
public struct LimitLine: Sendable, Hashable {
    /// The value, in the chart's unit.
    public var value: Double
    /// The label written beside it, e.g. `limit 50 mg/L (GB 18918-2002 1A)`.
    public var label: String

    /// A line at `value` labelled `label`.
    public init(value: Double, label: String) {
        self.value = value
        self.label = label
    }
}

/// A stretch of time shaded behind the data, with a tooltip that says why.
public struct ShadedPeriod: Sendable, Hashable {
    /// Why a period is shaded; each kind has its own colour.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Readings flagged by the station (maintenance, calibration, fault …).
        case flagged
        /// Data that does not meet a validity rule (too few valid hours).
        case invalid
    }

    /// The first instant, UTC seconds.
    public var from: Int64
    /// The end (exclusive), UTC seconds.
    public var to: Int64
    /// The kind.
    public var kind: Kind
    /// The explanation, shown as the period's `<title>`: "maintenance (M)", "invalid: < 75 % valid hours".
    public var title: String

    /// A period.
    public init(from: Int64, to: Int64, kind: Kind, title: String) {
        self.from = from
        self.to = to
        self.kind = kind
        self.title = title
    }
}

/// A band of values coloured behind the data, e.g. an AQI level with HJ 633's colour.
public struct ColourBand: Sendable, Hashable {
    /// The values the band covers.
    public var range: ClosedRange<Double>
    /// A CSS colour (`#00e400`, `rgb(255,126,0)`).
    public var colour: String
    /// The band's name, its `<title>`.
    public var label: String

    /// A band.
    public init(range: ClosedRange<Double>, colour: String, label: String) {
        self.range = range
        self.colour = colour
        self.label = label
    }
}
