public import Monitoring

/// How often a simulated field unit reports its instruments out of normal operation: the
/// probability that a frame's values carry each data flag instead of `N`.
///
/// One draw per device-state period decides; the flag then applies to every value of every frame
/// in it, as when the whole station is in maintenance or stopped. A real unit's states come in
/// runs (a zero/span calibration, a maintenance visit, a fault until someone comes), so by
/// default a period is ``runSeconds`` long; with 0 each frame draws on its own.
public struct DeviceFlagRates: Sendable, Hashable {
    /// Probability of `M` (maintenance).
    public var maintenance: Double
    /// Probability of `C` (calibration).
    public var calibration: Double
    /// Probability of `D` (instrument fault).
    public var fault: Double
    /// Probability of `F` (stopped).
    public var stopped: Double
    /// How long a device state lasts, in seconds of simulated time: periods of this length
    /// (aligned on the epoch) take one flag as a whole. 0 or less: frame by frame.
    public var runSeconds: Int64

    /// Creates rates; the four must add up to at most 1.
    public init(maintenance: Double = 0, calibration: Double = 0, fault: Double = 0, stopped: Double = 0, runSeconds: Int64 = 0) {
        self.runSeconds = runSeconds
        self.maintenance = maintenance
        self.calibration = calibration
        self.fault = fault
        self.stopped = stopped
    }

    /// Every frame normal.
    public static let none = DeviceFlagRates()

    /// The rates `envmon simulate` uses unless told otherwise: 1 % maintenance, 1 % calibration,
    /// 0.5 % fault, never stopped, in half-hour periods.
    public static let typical = DeviceFlagRates(maintenance: 0.01, calibration: 0.01, fault: 0.005, stopped: 0, runSeconds: 1_800)

    /// The draw of the period holding `instant`: the same for every frame in it.
    public func period(of instant: Int64) -> Int64 {
        guard runSeconds > 0 else { return instant }
        return instant >= 0 ? instant / runSeconds : (instant - runSeconds + 1) / runSeconds
    }

    /// The flags with their probabilities, in a fixed order.
    public var rates: [(DataFlag, Double)] {
        [(.maintenance, maintenance), (.calibration, calibration), (.fault, fault), (.stopped, stopped)]
    }

    /// Whether each rate is in 0…1 and they add up to at most 1.
    public var isValid: Bool {
        rates.allSatisfy { (0...1).contains($0.1) } && rates.reduce(0) { $0 + $1.1 } <= 1
    }

    /// The flag for a uniform draw `u` in 0 ..< 1.
    public func flag(for u: Double) -> DataFlag {
        var threshold = 0.0
        for (flag, rate) in rates {
            threshold += rate
            if u < threshold { return flag }
        }
        return .normal
    }
}
