public import Monitoring

/// How one parameter of a simulated station behaves: its base level, its daily cycle, its noise,
/// and how its values are written.
///
/// The base level, in the stored unit, comes from the station's own limit when it has one: 30–60 %
/// of the strictest upper limit (seeded per station and parameter), the middle of a two-sided
/// range such as pH 6–9, or 130–160 % of a lower limit such as dissolved oxygen ≥ 5. Without a
/// limit it is a typical level of the parameter where the station's kind measures it (see
/// ``typicalLevel(_:kind:)``), ± 20 %. Values are sent in the station's reported unit.
public struct SimulatedParameter: Sendable, Hashable {
    /// The station's parameter: units, range and limits.
    public let station: StationParameter
    /// The HJ 212-2017 factor code.
    public let code: String
    /// The base level, in the stored unit.
    public let level: Double
    /// The daily cycle.
    public let pattern: DiurnalPattern
    /// The relative standard deviation of a single reading.
    public let noise: Double
    /// The relative swing of the level from one local day to the next: up to ± this, at most 10 %
    /// and at most twice ``noise`` (pH and temperatures barely move).
    public let dayToDay: Double
    /// Digits after the decimal point of the value as sent (in the reported unit).
    public let decimals: Int
    /// The strictest upper limit, in the stored unit, if any.
    public let upperLimit: Double?
    /// The strictest lower limit, in the stored unit, if any.
    public let lowerLimit: Double?
    /// The factor from the reported unit to the stored unit.
    public let factorToStored: Double

    /// The catalogue id.
    public var id: String { station.parameter.id }

    /// Models a station parameter.
    ///
    /// - Parameters:
    ///   - parameter: the station's parameter.
    ///   - kind: the station's kind (it picks typical levels and the daily cycle).
    ///   - stationKey: a stable key of the station (``SimulationRandom/key(_:)`` of its id).
    ///   - seed: the simulation's seed.
    ///   - designLevel: the station's declared design flow in the stored unit (its `design_flow`
    ///     label), which a flow runs at exactly, so simulated loads are the size the station declares.
    public init(_ parameter: StationParameter, kind: StationKind, stationKey: UInt64, seed: UInt64, designLevel: Double? = nil) {
        station = parameter
        code = parameter.parameter.code2017
        factorToStored = parameter.reportedUnit.factor(to: parameter.unit) ?? 1
        let uppers = parameter.limits.compactMap(\.max)
        let lowers = parameter.limits.compactMap(\.min)
        upperLimit = uppers.min()
        lowerLimit = lowers.max()
        let u = SimulationRandom.unit(seed, stationKey, SimulationRandom.key(parameter.parameter.id), 1)
        let range = parameter.range
        var level: Double
        switch (lowerLimit, upperLimit) {
        case _ where designLevel != nil:
            level = designLevel ?? 0
        case (let low?, let high?) where high > low:
            level = low + (high - low) * (0.4 + 0.2 * u)
        case (nil, let high?):
            level = high * (0.3 + 0.3 * u)
        case (let low?, _):
            level = low * (1.3 + 0.3 * u)
        default:
            let typical =
                SimulatedParameter.typicalLevel(parameter.parameter.id, kind: kind)
                ?? range.lowerBound + (range.upperBound - range.lowerBound) * 0.02
            level = typical * (0.8 + 0.4 * u)
        }
        level = Swift.min(Swift.max(level, range.lowerBound), range.upperBound)
        self.level = level
        let behaviour = SimulatedParameter.behaviour(parameter.parameter.id, kind: kind)
        pattern = behaviour.pattern
        noise = behaviour.noise
        dayToDay = Swift.min(0.1, 2 * behaviour.noise)
        let sent = Swift.abs(level) / factorToStored
        decimals = parameter.parameter.id == "pH" ? 2 : sent >= 1_000 ? 1 : sent >= 10 ? 2 : sent >= 0.1 ? 3 : 4
    }

    /// The value as sent for a stored-unit value: clamped into the instrument range, converted to
    /// the reported unit and rounded to ``decimals``.
    public func text(forStored value: Double) -> String {
        SimulatedParameter.fixed(sent(forStored: value), decimals: decimals)
    }

    /// ``text(forStored:)``'s bytes, appended to `out` without making a String.
    public func appendText(forStored value: Double, to out: inout [UInt8]) {
        SimulatedParameter.appendFixed(sent(forStored: value), decimals: decimals, to: &out)
    }

    /// The value in the reported unit, clamped into the instrument range.
    private func sent(forStored value: Double) -> Double {
        let range = station.range
        // Keep a rounding step inside the range, so the rounded value never leaves it.
        let step = SimulatedParameter.power10(-decimals) * factorToStored
        let lower = range.lowerBound
        let upper = range.upperBound - step
        let clamped = Swift.min(Swift.max(value, lower), Swift.max(lower, upper))
        return clamped / factorToStored
    }

    /// `value` with exactly `decimals` digits after the point, rounded half away from zero.
    public static func fixed(_ value: Double, decimals: Int) -> String {
        var bytes: [UInt8] = []
        appendFixed(value, decimals: decimals, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// ``fixed(_:decimals:)``'s bytes, appended to `out`.
    ///
    /// Written digit by digit: the simulator formats every value of every frame, and the String
    /// inserts and paddings this replaced were a sixth of its CPU; the load generator writes them
    /// straight into its frames.
    public static func appendFixed(_ value: Double, decimals: Int, to out: inout [UInt8]) {
        let scale = power10(decimals)
        let scaled = (value * scale).rounded()
        guard scaled.isFinite, Swift.abs(scaled) < 9e17 else {
            out.append(UInt8(ascii: "0"))
            return
        }
        let n = Int64(scaled)
        let places = Swift.max(0, decimals)
        // At most 18 digits, the point, leading zeros up to `places`, a sign: digits first go
        // into a 48-byte scratch on the stack, from the last one.
        var scratch: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &scratch) { raw in
            let buffer = raw.bindMemory(to: UInt8.self)
            let capacity = Swift.min(buffer.count, Swift.max(18, places + 1) + 2)
            var m = n.magnitude
            var at = capacity
            var written = 0
            // From the last digit: the point after `places` of them, one digit before it at least.
            while (written <= places || m > 0) && at > 1 {
                if places > 0 && written == places {
                    at -= 1
                    buffer[at] = UInt8(ascii: ".")
                }
                at -= 1
                buffer[at] = UInt8(ascii: "0") + UInt8(m % 10)
                m /= 10
                written += 1
            }
            if n < 0 {
                at -= 1
                buffer[at] = UInt8(ascii: "-")
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[at..<capacity]))
        }
    }

    static func power10(_ n: Int) -> Double {
        var p = 1.0
        for _ in 0..<Swift.abs(n) { p *= 10 }
        return n >= 0 ? p : 1 / p
    }
}
