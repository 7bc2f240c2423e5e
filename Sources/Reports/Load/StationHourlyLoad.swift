public import Monitoring
public import Store

/// One station's emission of one pollutant hour by hour: the hourly mean concentration × the
/// hourly mean flow × 1 h, each series' gaps substituted (``HourlySubstitution``) first.
///
/// Water: mg/L × m³ (mg/L ≡ g/m³); flue gas: the measured (not O2-corrected) mg/m³ × m³/h, as
/// stored. An hour counts as substituted when its concentration, its flow or both were.
public struct StationHourlyLoad: Sendable {
    /// What an hour is.
    public enum Kind: UInt8, Sendable {
        /// Concentration and flow both valid.
        case measured
        /// Either substituted.
        case substituted
        /// The source stopped (flag F).
        case stopped
        /// Neither measured nor substituted.
        case missing
    }

    /// The first hour's start.
    public let start: Int64
    /// Kilograms per hour, from ``start``.
    public let kilograms: [Double]
    /// What each hour is.
    public let kinds: [Kind]
    /// The flow per hour in m³/h (measured or substituted), nil when neither.
    public let flow: [Double?]

    /// Builds the hours of `[start, end)` from hourly aggregate rows (step 3600, avg).
    ///
    /// - Parameters:
    ///   - concentration: Rows of the pollutant, in `concentrationUnit`.
    ///   - flow: Rows of the flow, in `flowUnit`.
    ///   - quarterOf: The quarter key of an hour's start (station-local), for the capture rate.
    public init(
        concentration: [AggregateRow], concentrationUnit: MeasurementUnit, flow: [AggregateRow], flowUnit: MeasurementUnit,
        start: Int64, end: Int64, quarterOf: (Int64) -> Int
    ) {
        let n = Int(max(0, (end - start + 3_599) / 3_600))
        let quarters = (0..<n).map { quarterOf(start + Int64($0) * 3_600) }
        let c = HourlySubstitution(Self.states(concentration, start: start, count: n), quarter: quarters).hours
        let q = HourlySubstitution(Self.states(flow, start: start, count: n), quarter: quarters).hours
        let toCubicMetresPerHour = flowUnit.factor(to: .cubicMetrePerHour) ?? 0
        var kilograms = [Double](repeating: 0, count: n)
        var kinds = [Kind](repeating: .missing, count: n)
        var flows = [Double?](repeating: nil, count: n)
        for h in 0..<n {
            let (cv, cs) = Self.value(c[h])
            let (qv, qs) = Self.value(q[h])
            if let qv { flows[h] = qv * toCubicMetresPerHour }
            if Self.isStopped(c[h]) || Self.isStopped(q[h]) {
                kinds[h] = .stopped
            } else if let cv, let qv,
                let rate = EmissionLoad.rate(concentration: cv, unit: concentrationUnit, flow: qv, flowUnit: flowUnit)
            {
                kilograms[h] = rate
                kinds[h] = cs || qs ? .substituted : .measured
            }
        }
        self.start = start
        self.kilograms = kilograms
        self.kinds = kinds
        self.flow = flows
    }

    /// The tally of the hours in `range` (clipped to the hours held).
    public func tally(_ range: Range<Int64>) -> LoadTally {
        var t = LoadTally()
        let (from, to) = indices(range)
        for h in from..<to {
            switch kinds[h] {
            case .measured:
                t.load.add(kilograms[h])
                t.measuredHours += 1
            case .substituted:
                t.load.add(kilograms[h], substituted: true)
                t.substitutedHours += 1
            case .stopped: t.stoppedHours += 1
            case .missing: t.missingHours += 1
            }
        }
        return t
    }

    /// The mean flow in m³/h over the hours of `range` that have one (stopped hours count as 0).
    public func meanFlow(_ range: Range<Int64>) -> Double? {
        let (from, to) = indices(range)
        var sum = 0.0
        var n = 0
        for h in from..<to {
            if kinds[h] == .stopped {
                n += 1
            } else if let f = flow[h] {
                sum += f
                n += 1
            }
        }
        return n > 0 ? sum / Double(n) : nil
    }

    private func indices(_ range: Range<Int64>) -> (Int, Int) {
        let from = Int(max(0, min(Int64(kinds.count), (range.lowerBound - start) / 3_600)))
        let to = Int(max(Int64(from), min(Int64(kinds.count), (range.upperBound - start + 3_599) / 3_600)))
        return (from, to)
    }

    static func states(_ rows: [AggregateRow], start: Int64, count: Int) -> [HourlySubstitution.Hour] {
        var out = [HourlySubstitution.Hour](repeating: .missing, count: count)
        for row in rows {
            let i = Int((row.start - start) / 3_600)
            guard (0..<count).contains(i) else { continue }
            if let v = row.value, AmbientValidity.isValidHour(validReadings: row.validCount, expectedReadings: row.expectedCount) {
                out[i] = .measured(v)
            } else if row.flags.contains(.stopped) {
                out[i] = .stopped
            }
        }
        return out
    }

    private static func value(_ h: HourlySubstitution.Hour) -> (Double?, Bool) {
        switch h {
        case .measured(let v): (v, false)
        case .substituted(let v): (v, true)
        default: (nil, false)
        }
    }

    private static func isStopped(_ h: HourlySubstitution.Hour) -> Bool { h == .stopped }
}
