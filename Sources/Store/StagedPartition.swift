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
        let slot: Int32
        let time: Int64
        var value: Double
        var flag: DataFlag
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

    /// Forgets every reading (after its fold), keeping the storage for the next ones.
    mutating func removeAll() {
        entries.removeAll(keepingCapacity: true)
        positions = nil
    }
}
