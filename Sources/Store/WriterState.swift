import Foundation
package import Monitoring

/// What the writer remembers between batches: series ids, their calendars and high-water marks.
///
/// Invariant: touched only inside `pool.write` closures, which GRDB runs one at a time on its
/// single writer connection; that serialisation is what makes the unchecked `Sendable` sound.
/// ``WriterBound`` holds it for the store and checks the invariant on every access.
/// After a failed transaction the caches are dropped, since they may hold rolled-back rows.
package final class WriterState: @unchecked Sendable {
    /// What a writer knows of one series: visible to the package's other stores
    /// (``PostgresStore``), whose writers keep the same per series and feed ``RollupCursor``.
    package struct SeriesState {
        /// The series' key.
        package let key: SeriesKey
        /// Its id in the store.
        package let id: Int64
        /// Its station's zone, for day buckets.
        package let calendar: ZoneCalendar
        /// The interval at which readings of this series are expected, in seconds.
        package let interval: Int64
        /// The newest sample time committed for this series before the current batch.
        package var highWater: Int64?
        /// Whether new samples may be written: false for a series whose station or parameter
        /// left sensors/ while samples of it were staged (they are folded, nothing new is taken).
        package var admitsNew = true

        /// Creates a series' state.
        package init(key: SeriesKey, id: Int64, calendar: ZoneCalendar, interval: Int64, highWater: Int64?, admitsNew: Bool = true) {
            self.key = key
            self.id = id
            self.calendar = calendar
            self.interval = interval
            self.highWater = highWater
            self.admitsNew = admitsNew
        }
    }

    private(set) var stations: StationRegistry
    /// Index into ``states`` of each series seen since the last reset. Batches use these indices
    /// as their slots, so a sample costs one lookup of its key and nothing more.
    var index: [SeriesKey: Int32] = [:]
    var states: [SeriesState] = []
    /// Index into ``states`` by series id, for folding staged rows (which carry ids).
    var byID: [Int64: Int32] = [:]
    var calendars: [String: ZoneCalendar] = [:]
    var horizons: [SeriesKind: Int64]?

    /// The staged samples not yet folded, by partition (series id modulo
    /// ``StagingPolicy/partitions``), with their last staged version.
    var staged = [StagedPartition](repeating: StagedPartition(), count: StagingPolicy.partitions)
    /// For each series (by slot), the newest time it has staged and not folded, or `Int64.min`: a
    /// sample newer than that (the live case) cannot be staged already, and is appended without
    /// a lookup.
    var stagedNewest: [Int64] = []
    /// Readings in the staged log, by partition.
    var partRows = [Int](repeating: 0, count: StagingPolicy.partitions)
    /// When the oldest row of each partition was staged (store clock), or nil.
    var partSince = [Int64?](repeating: nil, count: StagingPolicy.partitions)
    /// The `seq` of the newest block appended to `staged_block` by this process (0: none yet).
    var lastSeq: Int64 = 0
    /// For each partition, the `seq` up to which its readings are folded (in this process).
    var foldedThrough = [Int64](repeating: 0, count: StagingPolicy.partitions)
    /// Blocks of `staged_block` up to this `seq` are deleted.
    var deletedThrough: Int64 = 0
    /// Rows staged since the last partial fold.
    var stagedSincePartial = 0
    /// The partition the next partial fold takes.
    var nextPartition = 0
    /// Readings in the staged log.
    var stagedRows: Int { partRows.reduce(0, +) }

    /// The partition to fold next, if any: the next in turn that holds samples once `rows` were
    /// staged since the last partial fold, else the one whose oldest sample has waited
    /// `foldSeconds`, else none.
    func partitionToFold(_ policy: StagingPolicy, rows: Int, now: Int64) -> Int? {
        if stagedSincePartial >= rows {
            // The next partition in turn that holds anything: few series leave most of them empty.
            for step in 0..<StagingPolicy.partitions {
                let p = (nextPartition + step) % StagingPolicy.partitions
                if partRows[p] > 0 { return p }
            }
            return nil
        }
        var oldest: (part: Int, since: Int64)?
        for (p, since) in partSince.enumerated() {
            guard let since, since < oldest?.since ?? .max else { continue }
            oldest = (p, since)
        }
        guard let oldest, now - oldest.since >= policy.foldSeconds else { return nil }
        return oldest.part
    }

    /// Forgets the staged samples of one partition, or of all.
    func clearStaged(partition: Int?) {
        for p in partition.map({ [$0] }) ?? Array(0..<StagingPolicy.partitions) {
            for entry in staged[p].entries { stagedNewest[Int(entry.slot)] = .min }
            staged[p].removeAll()
            partRows[p] = 0
            partSince[p] = nil
        }
        if partition == nil {
            // Called when the staged log is (or is about to be) emptied: no mark is needed any more.
            lastSeq = 0
            foldedThrough = [Int64](repeating: 0, count: StagingPolicy.partitions)
            deletedThrough = 0
        }
    }
    /// Whether ``staged`` mirrors the table: not after opening or a rollback, until the next fold.
    var stagedKnown = false
    /// Counts the times ``states`` was emptied (slots then name other series).
    private(set) var generation = 0

    init(stations: StationRegistry) { self.stations = stations }

    func replaceStations(_ registry: StationRegistry) {
        stations = registry
        clearStaged(partition: nil)  // keyed by slot; the next write folds first
        generation += 1
        index.removeAll()
        states.removeAll()
        stagedNewest.removeAll()
        byID.removeAll()
        stagedKnown = false
    }

    func reset() {
        clearStaged(partition: nil)
        generation += 1
        index.removeAll()
        states.removeAll()
        stagedNewest.removeAll()
        byID.removeAll()
        horizons = nil
        stagedKnown = false
    }

    /// Remembers a series and returns its index.
    func add(_ state: SeriesState) -> Int32 {
        let i = Int32(states.count)
        states.append(state)
        stagedNewest.append(.min)
        index[state.key] = i
        byID[state.id] = i
        return i
    }

    func calendar(for zone: TimeZone) -> ZoneCalendar {
        if let c = calendars[zone.identifier] { return c }
        let c = ZoneCalendar(zone)
        calendars[zone.identifier] = c
        return c
    }
}
