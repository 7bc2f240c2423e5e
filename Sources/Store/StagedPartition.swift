import Monitoring

/// The staged samples of one partition: each reading's last staged version, in staging order.
///
/// Live readings arrive newest-last, so they are appended without hashing (the writer knows
/// each series' newest staged time); only a reading at or before that time (a re-send, a
/// correction) is looked up, on an index built the first time one is needed and dropped with
/// the partition's fold.
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

    private struct Key: Hashable {
        let slot: Int32
        let time: Int64
    }

    /// The staged readings, one entry per reading (its last version).
    private(set) var entries: [Entry] = []
    private var positions: [Key: Int]?

    var count: Int { entries.count }

    /// Where the reading of `slot` at `time` is, if staged.
    mutating func find(slot: Int32, time: Int64) -> Int? {
        if positions == nil {
            var built = [Key: Int](minimumCapacity: entries.count)
            for (i, e) in entries.enumerated() { built[Key(slot: e.slot, time: e.time)] = i }
            positions = built
        }
        return positions![Key(slot: slot, time: time)]
    }

    /// Stages a reading not staged yet.
    mutating func append(_ entry: Entry) {
        positions?[Key(slot: entry.slot, time: entry.time)] = entries.count
        entries.append(entry)
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
