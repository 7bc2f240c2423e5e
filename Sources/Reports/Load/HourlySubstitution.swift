/// The hourly values of one series with its missing hours substituted for emission totals, by
/// the rules standards.md §6.1 gives for HJ 75-2017 — marked [M] there (from memory, not checked
/// against the standard's text) — and applied to water outlets too, since the HJ 355/356-2019
/// substitution rules are not verified either:
///
/// - a gap of at most 24 h while the quarter's valid-data capture α is at least 90 %: the mean of
///   the valid hours on either side (the one before alone when no valid hour follows yet);
/// - a longer gap, α ≥ 90 %: the largest of the preceding 720 valid hours;
/// - α below 90 %: the largest of the preceding 2,160 valid hours (below 75 % as well: the table
///   as remembered stops at 75 %, and the most conservative of its substitutes is used).
///
/// Hours whose readings say the source was stopped (flag F) are not gaps: nothing was emitted.
/// Hours before the series' first valid hour are not substituted (the station was not monitored
/// yet). α is the quarter's valid hours over its hours from the first valid hour (or the quarter's
/// start) to the end of the data, less stopped hours.
public struct HourlySubstitution: Sendable {
    /// What one hour holds.
    public enum Hour: Sendable, Hashable {
        /// A valid hourly mean.
        case measured(Double)
        /// A substitute for a missing hour.
        case substituted(Double)
        /// The source was stopped: no emission.
        case stopped
        /// Missing and not substituted (before the first valid hour).
        case missing
    }

    /// The hours, one per hour from the first instant given.
    public let hours: [Hour]

    /// The largest gap substituted by the mean of its neighbours, in hours.
    public static let shortGap = 24
    /// Valid hours looked back at for a long gap when α ≥ 90 %.
    public static let longLookback = 720
    /// Valid hours looked back at when α < 90 %.
    public static let lowCaptureLookback = 2_160

    /// Substitutes the gaps of a run of hours.
    ///
    /// - Parameters:
    ///   - states: Per hour: its valid mean, `.stopped`, or `.missing` (anything else given is kept).
    ///   - quarter: The index of the quarter each hour falls in (any increasing key), for α.
    public init(_ states: [Hour], quarter: [Int]) {
        precondition(states.count == quarter.count)
        var out = states
        let firstValid = states.firstIndex { if case .measured = $0 { true } else { false } }
        guard let firstValid else {
            hours = out
            return
        }
        // α per quarter, from the first valid hour on.
        var valid: [Int: Int] = [:]
        var counted: [Int: Int] = [:]
        for i in firstValid..<states.count {
            switch states[i] {
            case .measured: valid[quarter[i], default: 0] += 1; counted[quarter[i], default: 0] += 1
            case .stopped: break
            default: counted[quarter[i], default: 0] += 1
            }
        }
        func capture(_ q: Int) -> Double {
            let n = counted[q] ?? 0
            return n > 0 ? Double(valid[q] ?? 0) / Double(n) : 1
        }
        var previous: [Double] = []  // valid values so far, oldest first
        var i = firstValid
        while i < states.count {
            switch states[i] {
            case .measured(let v):
                previous.append(v)
                i += 1
            case .missing:
                var end = i
                while end < states.count, case .missing = states[end] { end += 1 }
                let length = end - i
                let alpha = capture(quarter[i])
                let value: Double?
                if alpha >= 0.9 && length <= Self.shortGap {
                    var neighbours = previous.last.map { [$0] } ?? []
                    if end < states.count, case .measured(let next) = states[end] { neighbours.append(next) }
                    value = neighbours.isEmpty ? nil : neighbours.reduce(0, +) / Double(neighbours.count)
                } else {
                    let lookback = alpha >= 0.9 ? Self.longLookback : Self.lowCaptureLookback
                    value = previous.suffix(lookback).max()
                }
                if let value { for h in i..<end { out[h] = .substituted(value) } }
                i = end
            default:
                i += 1
            }
        }
        hours = out
    }
}
