public import Monitoring
public import Store

/// How a value stands against its limit, as the overview colours it: `ok`, `warn` (close to the
/// limit), `over` (beyond it) or `nodata` (no reading, or a flagged one, which is not judged).
///
/// Close means: at or above 80 % of an upper limit; at or below a lower limit divided by 0.8 (the
/// limit is 80 % of the value or more); within 20 % of the width of a range (pH 6–9) from either
/// end. A value without a limit is `ok`: there is nothing to be close to.
///
/// ```swift
/// ValueClass(value: 42, limit: Limit(basis: .day, max: 50))   // .warn
/// ```
public enum ValueClass: String, Sendable, Hashable, CaseIterable, Comparable {
    case nodata, ok, warn, over

    /// The share of an upper limit from which a value is close to it.
    public static let warnShare = 0.8

    /// The class of a stored reading: `nodata` when there is none or it is flagged.
    public init(_ sample: StoredSample?, limit: Limit?) {
        guard let sample, sample.flag.isValid else {
            self = .nodata
            return
        }
        self.init(value: sample.value, limit: limit)
    }

    /// The class of a valid value against `limit`.
    public init(value: Double, limit: Limit?) {
        guard value.isFinite else {
            self = .nodata
            return
        }
        switch (limit?.min, limit?.max) {
        case (let lo?, let hi?):
            let margin = (hi - lo) * (1 - Self.warnShare)
            self = value < lo || value > hi ? .over : value < lo + margin || value > hi - margin ? .warn : .ok
        case (nil, let hi?):
            self = value > hi ? .over : value >= hi * Self.warnShare ? .warn : .ok
        case (let lo?, nil):
            self = value < lo ? .over : value * Self.warnShare <= lo ? .warn : .ok
        case (nil, nil):
            self = .ok
        }
    }

    /// The worse of two classes: `over` before `warn` before `ok` before `nodata`.
    public static func < (a: ValueClass, b: ValueClass) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
