/// The medium a parameter is measured in; it decides which unit and range apply.
public enum Medium: String, Sendable, Hashable, Codable {
    /// Wastewater at a discharge outlet, or surface water at a river section.
    case water
    /// Flue gas at a stack (CEMS).
    case fluegas
    /// Ambient air at an air-quality site.
    case ambient
}

/// A measured quantity of the catalogue, with its HJ 212 codes, names, unit and instrument range.
public struct Parameter: Sendable, Hashable, Codable, Identifiable {
    /// A short id used in sensors/, rules/ and the command line, such as `COD`, `NH3-N` or `PM2.5`.
    public var id: String
    /// The HJ 212-2017 code (HJ 524/525-2009), such as `w01018`.
    public var code2017: String
    /// The HJ/T 212-2005 code, where one exists, such as `011`.
    public var code2005: String?
    /// The English name.
    public var nameEN: String
    /// The Chinese name.
    public var nameZH: String
    /// The units and plausible instrument ranges, one per medium in which the parameter is measured.
    public var media: [Medium: Measurement]
    /// Other names importers and devices use for this parameter (case-insensitive), such as `NH3N`.
    public var aliases: [String]

    /// The canonical unit and the plausible instrument range of a parameter in one medium.
    public struct Measurement: Sendable, Hashable, Codable {
        /// The unit every stored value of this parameter in this medium is in.
        public var unit: MeasurementUnit
        /// Values outside this range cannot come from a working instrument and are rejected.
        public var range: ClosedRange<Double>

        /// Creates a measurement description.
        public init(_ unit: MeasurementUnit, _ range: ClosedRange<Double>) {
            self.unit = unit
            self.range = range
        }
    }

    /// Creates a parameter.
    public init(
        id: String, code2017: String, code2005: String? = nil, nameEN: String, nameZH: String,
        media: [Medium: Measurement], aliases: [String] = []
    ) {
        self.id = id
        self.code2017 = code2017
        self.code2005 = code2005
        self.nameEN = nameEN
        self.nameZH = nameZH
        self.media = media
        self.aliases = aliases
    }

    /// The unit and range of this parameter in `medium`, or `nil` when it is not measured there.
    public func measurement(in medium: Medium) -> Measurement? { media[medium] }
}
