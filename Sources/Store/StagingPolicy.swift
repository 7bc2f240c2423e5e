/// When small batches are staged instead of written into `sample` and `rollup` at once.
///
/// A live feed commits often (every 10 ms in `envmon serve`), each commit carrying one reading
/// of each of thousands of series. Written straight into the clustered `sample` table and the
/// rollups, such a commit dirties a page of every series it touches, and the WAL copy of those
/// pages dominates the writer's time. Staged, the same commit appends to one log table, a page
/// or two. Partitions (1/``partitions`` of the series each) are folded into `sample` and `rollup`
/// one at a time, from memory, so a series is folded with some sixty readings at a time: between
/// commits, in the writer's maintenance (``TimeSeriesStore/maintain()``), once a commit's senders
/// are answered, and inside a commit only when that maintenance has fallen behind. Everything is
/// folded before a large batch, before any read, and on close. Readers therefore always see every committed reading, and a crash
/// loses nothing: staged rows are committed rows, folded at the next write or read.
public struct StagingPolicy: Sendable, Hashable {
    /// Batches of at most this many samples are staged; larger ones are written straight.
    /// 20,000 covers what a busy daemon gathers while one commit runs (at 20,000 frames/s of five
    /// readings, about 1,000 in 10 ms, more behind a slow commit); at 5,000 such batches spilled
    /// onto the direct path and stayed there. Imports (100,000 a batch) still go straight.
    public var maxBatch: Int
    /// Fold everything (in the commit of the next batch) when more than this many samples are
    /// staged: a bound on the table, which a steady feed never reaches (it stays near
    /// `partitions × partialFoldRows`).
    public var foldRows: Int
    /// Fold a partition whose oldest staged sample is this many seconds old (by the store's
    /// clock), one partition a commit: under a slow feed nothing stays staged much longer.
    public var foldSeconds: Int64
    /// After this many samples are staged, fold one partition (1/256 of the series, by id; a
    /// commit does it itself at twice as many, when maintenance between commits fell behind):
    /// under a steady feed each series is folded every `partitions × partialFoldRows` samples
    /// (320,000: some 60 readings of each of 5,000 series, which is what makes a fold cheap per
    /// reading), in folds of a few milliseconds, small enough not to hold up the batches behind.
    public var partialFoldRows: Int

    /// Staged samples are folded by partition: series id modulo this (in memory only; the
    /// staged log is in staging order).
    public static let partitions = 256

    /// Creates a policy.
    public init(maxBatch: Int = 20_000, foldRows: Int = 1_000_000, foldSeconds: Int64 = 60, partialFoldRows: Int = 1_250) {
        self.maxBatch = maxBatch
        self.foldRows = foldRows
        self.foldSeconds = foldSeconds
        self.partialFoldRows = partialFoldRows
    }

    /// The daemon's policy: small live batches staged, each folded within a minute at most.
    public static let live = StagingPolicy()
}
