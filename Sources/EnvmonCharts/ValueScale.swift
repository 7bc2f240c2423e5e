/// The vertical scale of a chart: a range of values, widened to round ticks, mapped onto pixels.
public struct ValueScale: Sendable, Hashable {
    /// The values shown, bottom to top.
    public private(set) var range: ClosedRange<Double>
    /// The tick values, ascending.
    public private(set) var ticks: [Double]
    /// The pixel row of the range's bottom.
    public var bottom: Double
    /// The pixel row of the range's top.
    public var top: Double

    /// A scale of `range` exactly (no widening), between pixel rows `bottom` and `top`.
    public init(exactly range: ClosedRange<Double>, bottom: Double, top: Double, tickCount: Int = 5) {
        let r = range.lowerBound < range.upperBound ? range : range.lowerBound...(range.lowerBound + 1)
        self.range = r
        self.bottom = bottom
        self.top = top
        let step = ValueScale.niceStep((r.upperBound - r.lowerBound) / Double(max(1, tickCount - 1)))
        var t = (r.lowerBound / step).rounded(.up) * step
        var ticks: [Double] = []
        while t <= r.upperBound + step * 1e-9 && ticks.count < 20 {
            ticks.append(abs(t) < step * 1e-9 ? 0 : t)
            t += step
        }
        self.ticks = ticks
    }

    /// A scale that shows every value in `values` with a margin of `padding` (a share of the span)
    /// on each side, widened to round ticks; a range of positive values starts at 0 when the
    /// margin would take it below. No values: 0…1.
    public init(fitting values: [Double], padding: Double = 0.05, bottom: Double, top: Double, tickCount: Int = 5) {
        let finite = values.filter(\.isFinite)
        guard var lo = finite.min(), var hi = finite.max() else {
            self.init(exactly: 0...1, bottom: bottom, top: top, tickCount: tickCount)
            return
        }
        if lo == hi {
            let pad = lo == 0 ? 1 : abs(lo) * 0.1
            (lo, hi) = (lo - pad, hi + pad)
        } else {
            let pad = (hi - lo) * padding
            let wasPositive = lo >= 0
            (lo, hi) = (lo - pad, hi + pad)
            if wasPositive && lo < 0 { lo = 0 }
        }
        let step = ValueScale.niceStep((hi - lo) / Double(max(1, tickCount - 1)))
        let niceLo = (lo / step).rounded(.down) * step
        let niceHi = (hi / step).rounded(.up) * step
        self.init(exactly: niceLo...niceHi, bottom: bottom, top: top, tickCount: tickCount)
    }

    /// The pixel row of value `v` (outside the range: beyond the plot, the caller clips).
    public func y(_ v: Double) -> Double {
        bottom - (v - range.lowerBound) / (range.upperBound - range.lowerBound) * (bottom - top)
    }

    /// 1, 2 or 5 times a power of ten, at least `raw`.
    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        var p = 1.0
        while p * 10 <= raw { p *= 10 }
        while p > raw { p /= 10 }
        for m in [1.0, 2, 5, 10] where p * m >= raw * (1 - 1e-9) { return p * m }
        return p * 10
    }
}
