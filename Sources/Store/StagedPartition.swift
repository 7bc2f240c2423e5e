import Monitoring

/// The staged samples of one partition: each reading's last staged version, in staging order.
///
/// Live readings arrive newest-last, so they are appended without hashing (the writer knows
/// each series' newest staged time); only a reading at or before that time (a re-send, a
/// correction, a batch that overtook the one before it) is looked up, on an index built the
/// first time one is needed and dropped with the partition's fold.
struct StagedPartition {
    /// A staged reading.
    struct Entry {
        // In this order 24 bytes a reading, not 32: Swift lays stored properties out as
        // declared, and a partition holds thousands of readings under a live feed.
        let time: Int64
        var value: Double
        let slot: Int32
        var flag: DataFlag

        init(slot: Int32, time: Int64, value: Double, flag: DataFlag) {
            self.time = time
            self.value = value
            self.slot = slot
            self.flag = flag
        }
    }

    /// A staged reading's time and its place in ``entries``.
    fileprivate struct Position {
        let time: Int64
        let index: Int
    }

    /// The staged readings, one entry per reading (its last version).
    private(set) var entries: [Entry] = []
    /// The index: for each series (slot), its staged readings' positions sorted by time. Keyed
    /// by series, not by reading: a table of every staged reading cost a hash and a cache miss
    /// for each reading staged once it existed, some 16 % of the daemon's CPU under HTTP writes
    /// over two connections (whose batches reach the writer out of order, so every partition
    /// built its index, and staged up to `foldRows` readings into it).
    private var positions: [Int32: [Position]]?

    var count: Int { entries.count }

    /// Where the reading of `slot` at `time` is, if staged.
    mutating func find(slot: Int32, time: Int64) -> Int? {
        if positions == nil {
            var built: [Int32: [Position]] = [:]
            for (i, e) in entries.enumerated() { built[e.slot, default: []].insertInOrder(Position(time: e.time, index: i)) }
            positions = built
        }
        guard let list = positions![slot] else { return nil }
        let at = Self.firstNotBefore(time, in: list)
        return at < list.count && list[at].time == time ? list[at].index : nil
    }

    /// Stages a reading not staged yet.
    mutating func append(_ entry: Entry) {
        // One lookup of the series' list, changed in place.
        positions?[entry.slot, default: []].insertInOrder(Position(time: entry.time, index: entries.count))
        entries.append(entry)
    }

    /// The index of the first position at or after `time` in a list sorted by time.
    fileprivate static func firstNotBefore(_ time: Int64, in list: [Position]) -> Int {
        var low = 0
        var high = list.count
        while low < high {
            let mid = (low + high) / 2
            if list[mid].time < time { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// Replaces the staged version at `index`.
    mutating func update(at index: Int, value: Double, flag: DataFlag) {
        entries[index].value = value
        entries[index].flag = flag
    }

    /// Takes out the readings of one series (folded alone, for a read), in staging order.
    mutating func removeAll(slot: Int32) -> [Entry] {
        let taken = entries.filter { $0.slot == slot }
        guard !taken.isEmpty else { return [] }
        entries.removeAll { $0.slot == slot }
        positions = nil
        return taken
    }

    /// Forgets every reading (after its fold) and their storage: 256 partitions each keeping the
    /// most it ever held were 30 MiB of the daemon's memory under the 1,000-unit load, for
    /// a dozen reallocations a partition between folds saved.
    mutating func removeAll() {
        entries = []
        positions = nil
    }
}

extension [StagedPartition.Position] {
    /// Appends `position` (a series' readings come newest-last), or inserts it where its time
    /// belongs when it came late.
    fileprivate mutating func insertInOrder(_ position: StagedPartition.Position) {
        guard let last, last.time > position.time else { return append(position) }
        insert(position, at: StagedPartition.firstNotBefore(position.time, in: self))
    }
}
