package import Monitoring

/// Where a batch write's sample loop is in the hour and day rollup buckets of the series it
/// is writing (``BatchWrite``).
///
/// Readings that land in buckets still open are accumulated here and merged into `rollup` once
/// the batch is written; a bucket that closed before the batch (late data, or a changed reading)
/// is only marked dirty, and recomputed from the raw samples.
///
/// Visible to the package's other stores (``PostgresStore``), which keep rollups the same way.
package struct RollupCursor {
    /// Closed-over accumulators to merge into the rollup table: key, bucket end, expected count.
    package var pending: [(key: BucketKey, end: Int64, expected: Int64, acc: RollupAccumulator)] = []
    /// Buckets to recompute from the raw samples.
    package var dirty: Set<BucketKey> = []
    var hourKey: BucketKey?
    var hourAcc = RollupAccumulator()
    var dayKey: BucketKey?
    var dayEnd: Int64 = 0
    var dayAcc = RollupAccumulator()
    var interval: Int64 = 60
    var day: Range<Int64> = 0..<0
    var dayHour: Int64 = Int64.min
    /// The series being accounted and what the loop needs of it, copied once per run of
    /// its samples rather than per sample.
    let states: [WriterState.SeriesState]
    var slot: Int32 = -1
    var series: Int64 = -1
    var highWater = Int64.min
    var calendar: ZoneCalendar?

    /// A cursor over the series of a batch, by slot.
    package init(states: [WriterState.SeriesState]) { self.states = states }

    /// Accounts one reading of series `slot` at `time`: merged into the open buckets, or marks a
    /// bucket that closed before the batch (late data, or a changed reading) for recomputing.
    package mutating func add(slot: Int32, time: Int64, value: Double, flag: DataFlag, changed: Bool) {
        if slot != self.slot {
            self.slot = slot
            let st = states[Int(slot)]
            series = st.id
            interval = max(1, st.interval)
            highWater = st.highWater ?? Int64.min
            calendar = st.calendar
            dayHour = Int64.min
        }
        let hourStart = floorDiv(time, 3_600) * 3_600
        if hourStart != dayHour {
            day = calendar!.day(containing: time)
            // Reuse the day for the rest of this hour only if the whole hour lies inside it.
            dayHour = day.contains(hourStart) && hourStart + 3_600 <= day.upperBound ? hourStart : Int64.min
        }
        let hk = BucketKey(series: series, resolution: 3_600, start: hourStart)
        let dk = BucketKey(series: series, resolution: 86_400, start: day.lowerBound)
        if changed {
            dirty.insert(hk)
            dirty.insert(dk)
            return
        }
        let hw = highWater
        if hourStart + 3_600 <= hw {
            dirty.insert(hk)
        } else {
            if hk != hourKey {
                if let key = hourKey { pending.append((key, key.start + 3_600, 3_600 / interval, hourAcc)) }
                hourKey = hk
                hourAcc = RollupAccumulator()
            }
            hourAcc.add(value, flag)
        }
        if day.upperBound <= hw {
            dirty.insert(dk)
        } else {
            if dk != dayKey {
                if let key = dayKey { pending.append((key, dayEnd, (dayEnd - key.start) / interval, dayAcc)) }
                dayKey = dk
                dayEnd = day.upperBound
                dayAcc = RollupAccumulator()
            }
            dayAcc.add(value, flag)
        }
    }

    /// Closes the open accumulators into ``pending``; called once the batch's samples are added.
    package mutating func finish() {
        if let key = hourKey { pending.append((key, key.start + 3_600, 3_600 / interval, hourAcc)) }
        if let key = dayKey { pending.append((key, dayEnd, (dayEnd - key.start) / interval, dayAcc)) }
        hourKey = nil
        dayKey = nil
    }
}
