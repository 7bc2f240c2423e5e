/// One input to a chart: a reading or an aggregate over `[start, end)` — its least, greatest and
/// mean value and how many readings made it.
///
/// A raw reading is a sample whose `min`, `max` and `mean` are its value and whose span is the
/// series' reporting interval; an hour rollup is a sample an hour long.
public struct ChartSample: Sendable, Hashable {
    /// The first instant covered, UTC seconds.
    public var start: Int64
    /// The end of the span (exclusive), UTC seconds.
    public var end: Int64
    /// The least value.
    public var min: Double
    /// The greatest value.
    public var max: Double
    /// The mean value.
    public var mean: Double
    /// How many readings the sample stands for (weights the mean of a column); at least 1.
    public var count: Int

    /// A sample over `[start, end)`.
    public init(start: Int64, end: Int64, min: Double, max: Double, mean: Double, count: Int = 1) {
        self.start = start
        self.end = Swift.max(end, start + 1)
        self.min = min
        self.max = max
        self.mean = mean
        self.count = Swift.max(1, count)
    }

    /// A single reading at `time`, standing for `interval` seconds.
    public init(time: Int64, value: Double, interval: Int64) {
        self.init(start: time, end: time + Swift.max(1, interval), min: value, max: value, mean: value)
    }
}
