/// A yearly load allowance of one pollutant for a set of stations (总量控制指标 / 许可排放量), as
/// targets/allowances.yaml defines it: explicit tonnes for given years, or a baseline year's load
/// reduced by a share every year after it. A year the definition does not cover has no allowance:
/// one year's amount never carries over to the next.
///
/// ```swift
/// let cod = YearlyAllowance(name: "baisha-cod", pollutant: "COD", flow: "Q-water", scope: scope,
///                           baseline: .init(year: 2025, kilograms: 1_800_000), reductionPerYear: 0.08)
/// cod.kilograms(in: 2026)   // 1 656 000: 1,800 t × 0.92
/// cod.kilograms(in: 2027)   // 1 523 520: × 0.92 again
/// cod.kilograms(in: 2025)   // nil: the baseline year is the reference, not an allowance
/// ```
public struct YearlyAllowance: Sendable, Hashable {
    /// A reference year's load.
    public struct Baseline: Sendable, Hashable {
        /// The reference year.
        public var year: Int
        /// Its load, kg.
        public var kilograms: Double
        /// Creates a baseline.
        public init(year: Int, kilograms: Double) {
            self.year = year
            self.kilograms = kilograms
        }
    }

    /// Unique in the file; rules name it (`allowance: baisha-cod`).
    public var name: String
    /// The pollutant (catalogue id): COD, NH3-N, TN, TP, SO2, NOx, Dust.
    public var pollutant: String
    /// The flow measured beside it (Q-water, Q-gas).
    public var flow: String
    /// The stations whose loads count against it.
    public var scope: StationScope
    /// The reference year and its load, for a yearly reduction.
    public var baseline: Baseline?
    /// The share cut each year after the baseline year, compounded: 0.08 for 8 % a year.
    public var reductionPerYear: Double
    /// The last year the baseline form gives an allowance for (the end of the plan); nil: open-ended.
    public var throughYear: Int?
    /// Explicit amounts in kilograms by year; they override the baseline form for their year.
    public var years: [Int: Double]
    /// Where it was defined, for messages: `targets/allowances.yaml:12`.
    public var origin: String
    /// A title for people (Chinese or English as written in the file).
    public var title: String?

    /// Creates a definition.
    public init(
        name: String, pollutant: String, flow: String, scope: StationScope, baseline: Baseline? = nil, reductionPerYear: Double = 0,
        throughYear: Int? = nil, years: [Int: Double] = [:], origin: String = "", title: String? = nil
    ) {
        self.name = name
        self.pollutant = pollutant
        self.flow = flow
        self.scope = scope
        self.baseline = baseline
        self.reductionPerYear = reductionPerYear
        self.throughYear = throughYear
        self.years = years
        self.origin = origin
        self.title = title
    }

    /// The allowance of `year` in kilograms, or nil when the definition gives none for it: an
    /// explicit amount, else the baseline × (1 − reduction)^(year − baseline year) for the years
    /// after the baseline through ``throughYear``.
    public func kilograms(in year: Int) -> Double? {
        if let explicit = years[year] { return explicit }
        guard let baseline, year > baseline.year, throughYear.map({ year <= $0 }) ?? true else { return nil }
        var amount = baseline.kilograms
        for _ in baseline.year..<year { amount *= 1 - reductionPerYear }
        return amount
    }

    /// The flow a pollutant's load is computed with when a definition names none: effluent flow
    /// for water pollutants, flue-gas flow for the rest.
    public static func defaultFlow(for pollutant: String) -> String {
        ["COD", "NH3-N", "TN", "TP", "BOD5", "SS", "CODMn", "Oil", "Phenol"].contains(pollutant) ? "Q-water" : "Q-gas"
    }
}
