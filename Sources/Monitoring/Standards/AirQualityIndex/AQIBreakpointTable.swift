public import Foundation

/// The breakpoints of one pollutant and averaging period in an AQI standard, as data with its source.
///
/// Each ``Segment`` maps a concentration range linearly onto an index range (HJ 633 and EPA Equation 1):
///
///     I = (I_hi − I_lo) / (C_hi − C_lo) × (C − C_lo) + I_lo
///
/// HJ 633's segments are continuous (50–150 µg/m³ maps to 50–100); the EPA's are discrete bands of
/// truncated concentrations (9.1–35.4 maps to 51–100).
public struct AQIBreakpointTable: Sendable, Hashable {
    /// One linear piece of the table.
    public struct Segment: Sendable, Hashable {
        /// The concentration at the low end.
        public var concentrationLow: Decimal { didSet { low = ScaledDecimal(concentrationLow) } }
        /// The concentration at the high end.
        public var concentrationHigh: Decimal { didSet { high = ScaledDecimal(concentrationHigh) } }
        /// The index at the low end.
        public var indexLow: Int
        /// The index at the high end.
        public var indexHigh: Int

        /// Creates a segment.
        public init(concentrationLow: Decimal, concentrationHigh: Decimal, indexLow: Int, indexHigh: Int) {
            self.concentrationLow = concentrationLow
            self.concentrationHigh = concentrationHigh
            self.indexLow = indexLow
            self.indexHigh = indexHigh
            low = ScaledDecimal(concentrationLow)
            high = ScaledDecimal(concentrationHigh)
        }

        /// The two concentrations as scaled integers, kept beside them (`nil`: too long to scale).
        private(set) var low: ScaledDecimal?
        private(set) var high: ScaledDecimal?

        /// The exact index of `c` on this segment's line as a fraction `indexLow + n / d`, rounded by `rounding`,
        /// or `nil` when that index is beyond `Int` (a concentration far above the segment, extrapolated).
        ///
        /// Exact arithmetic: CO 2.2 mg/m³ gives exactly 55, where binary doubles give 55.000000000000007
        /// and a ceiling of 56. Values above the segment extrapolate its line (the EPA above 500).
        func index(of c: Decimal, rounding: AQIRounding) -> Int? {
            if let x = ScaledDecimal(c), let value = index(of: x, rounding: rounding) { return value }
            return decimalIndex(of: c, rounding: rounding)
        }

        /// ``index(of:rounding:)`` on scaled integers: `n / d` with every concentration in units of the
        /// smallest decimal place among the three, in `Int128`. `nil` when they do not scale or the index
        /// is beyond `Int` (the caller takes the `Decimal` path, which decides).
        func index(of x: ScaledDecimal, rounding: AQIRounding) -> Int? {
            guard let low, let high else { return nil }
            let e = Swift.min(x.exponent, low.exponent, high.exponent)
            guard let c = x.scaled(to: e), let l = low.scaled(to: e), let h = high.scaled(to: e), h > l else { return nil }
            // Scaled values are below 10^34 in magnitude; an index span of a table (hundreds) keeps `n`, and
            // the doubling in the rounding, far inside Int128. A span beyond 2^64 (a hand-made segment) could
            // not: overflow gives nil, never a trap.
            let (n, overflow) = (Int128(indexHigh) - Int128(indexLow)).multipliedReportingOverflow(by: c - l)
            guard !overflow, n.magnitude < UInt128(Int128.max) / 4 else { return nil }
            let d = h - l
            let step =
                switch rounding {
                case .up: ScaledDivision.ceiling(n, d)
                case .nearestHalfUp: ScaledDivision.nearestHalfUp(n, d)
                }
            return Int(exactly: Int128(indexLow) + step)
        }

        /// The largest index the binary estimate of ``decimalIndex(of:rounding:)`` takes on its word: its
        /// error (relative ~1e-15) stays below 1e-9 up to here. Above, the exact way decides.
        private static let binaryLimit = 100_000.0

        /// ``index(of:rounding:)`` in `Decimal` arithmetic (binary first, exactly near a rounding edge): the
        /// way for values that do not scale, and the reference the integer way is tested against. `nil` when
        /// the index is beyond `Int`.
        func decimalIndex(of c: Decimal, rounding: AQIRounding) -> Int? {
            // Fast path in binary: its error (~1e-13 on an index up to 500) cannot change the rounding unless
            // the exact value lies within 1e-9 of an integer (rounding up) or of a half (to nearest), and
            // those go the exact way below. A report of 12 sites × 4 years indexes ~130,000 daily values.
            // (NSDecimalNumber's doubleValue costs ~50 ns; one exact Decimal division ~2 µs.)
            let low = concentrationLow.doubleValue
            let x = (Double(indexHigh) - Double(indexLow)) * (c.doubleValue - low) / (concentrationHigh.doubleValue - low)
            // An estimate far beyond Int (or NaN) has no index; this also keeps the exact way from Decimal
            // products that would overflow its 38 digits.
            guard x.magnitude < 1e20 else { return nil }
            if x >= 0 && x < Self.binaryLimit {
                let fraction = x - x.rounded(.down)
                let step: Double? =
                    switch rounding {
                    case .up where fraction > 1e-9 && fraction < 1 - 1e-9: x.rounded(.up)
                    case .nearestHalfUp where abs(fraction - 0.5) > 1e-9: x.rounded(.toNearestOrAwayFromZero)
                    default: nil
                    }
                if let step {
                    let (sum, overflow) = indexLow.addingReportingOverflow(Int(step))
                    return overflow ? nil : sum
                }
            }
            let n = (Decimal(indexHigh) - Decimal(indexLow)) * (c - concentrationLow)
            let d = concentrationHigh - concentrationLow
            guard !n.isNaN, !d.isNaN, d > 0 else { return nil }
            let step: Decimal =
                switch rounding {
                case .up: ExactDivision.ceiling(n, d)
                case .nearestHalfUp: ExactDivision.nearestHalfUp(n, d)
                }
            return (Decimal(indexLow) + step).exactIntValue
        }
    }

    /// The pollutant.
    public var pollutant: AQIPollutant
    /// The averaging period.
    public var period: AveragingPeriod
    /// The unit of the concentrations: `µg/m³`, `mg/m³`, `ppm` or `ppb`.
    public var unit: String
    /// The segments, lowest first.
    public var segments: [Segment]
    /// Where the numbers come from.
    public var source: StandardSource

    /// Creates a table.
    public init(pollutant: AQIPollutant, period: AveragingPeriod, unit: String, segments: [Segment], source: StandardSource) {
        self.pollutant = pollutant
        self.period = period
        self.unit = unit
        self.segments = segments
        self.source = source
    }

    /// The lowest concentration the table indexes.
    public var lowestConcentration: Decimal { segments[0].concentrationLow }

    /// The highest concentration the table indexes.
    public var highestConcentration: Decimal { segments[segments.count - 1].concentrationHigh }

    /// The segment that holds `c`, or `nil` when `c` is below or above the table.
    ///
    /// A value exactly on a shared breakpoint of continuous segments goes to the lower segment; both give
    /// the breakpoint's index. EPA values must be truncated to the table's precision first (as
    /// ``AirQualityIndex`` does): the discrete bands leave gaps such as 9.0–9.1 µg/m³ between them.
    public func segment(containing c: Decimal) -> Segment? {
        guard c >= lowestConcentration else { return nil }
        return segments.first { c <= $0.concentrationHigh }
    }

    /// ``segment(containing:)`` of a scaled value, compared in integers where the ends scale.
    func segment(containing x: ScaledDecimal, _ c: Decimal) -> Segment? {
        guard let low = segments[0].low, let atLeast = low.isAtMost(x) else { return segment(containing: c) }
        guard atLeast else { return nil }
        for segment in segments {
            guard let high = segment.high, let below = x.isAtMost(high) else { return self.segment(containing: c) }
            if below { return segment }
        }
        return nil
    }
}

/// How an index is rounded to an integer.
enum AQIRounding {
    /// Up to the next integer (HJ 633: 全部进位取整数).
    case up
    /// To the nearest integer, halves up (EPA TAD: 125.5 → 126).
    case nearestHalfUp
}

extension AQIBreakpointTable {
    /// A continuous table: `concentrations[i]` is the breakpoint of index `indices[i]`.
    static func continuous(
        _ pollutant: AQIPollutant, _ period: AveragingPeriod, _ unit: String, _ concentrations: [String],
        indices: [Int] = [0, 50, 100, 150, 200, 300, 400, 500], source: StandardSource
    ) -> AQIBreakpointTable {
        let c = concentrations.map(Self.decimal)
        let segments = (1..<c.count).map {
            Segment(concentrationLow: c[$0 - 1], concentrationHigh: c[$0], indexLow: indices[$0 - 1], indexHigh: indices[$0])
        }
        return AQIBreakpointTable(pollutant: pollutant, period: period, unit: unit, segments: segments, source: source)
    }

    /// A table of discrete bands `"lo-hi"`, the first at index band `firstBand` of 0–50, 51–100, 101–150,
    /// 151–200, 201–300, 301–500.
    static func bands(
        _ pollutant: AQIPollutant, _ period: AveragingPeriod, _ unit: String, _ ranges: [String], firstBand: Int = 0,
        source: StandardSource
    ) -> AQIBreakpointTable {
        let indexBands = [(0, 50), (51, 100), (101, 150), (151, 200), (201, 300), (301, 500)]
        let segments = ranges.enumerated().map { i, range in
            let ends = range.split(separator: "-").map { Self.decimal(String($0)) }
            let band = indexBands[firstBand + i]
            return Segment(concentrationLow: ends[0], concentrationHigh: ends[1], indexLow: band.0, indexHigh: band.1)
        }
        return AQIBreakpointTable(pollutant: pollutant, period: period, unit: unit, segments: segments, source: source)
    }

    private static func decimal(_ text: String) -> Decimal {
        guard let value = Decimal(plainNumeral: text) else { preconditionFailure("bad breakpoint \(text)") }
        return value
    }
}
