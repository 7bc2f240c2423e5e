import Monitoring
import Testing

@testable import Store

/// A partition's staged readings are found by series and time whatever order they came in:
/// in order (the live case), late (a batch that overtook the one before it), and after a
/// series was taken out for a read.
@Suite struct StagedPartitionTests {
    func entry(_ slot: Int32, _ time: Int64, _ value: Double = 1) -> StagedPartition.Entry {
        StagedPartition.Entry(slot: slot, time: time, value: value, flag: .normal)
    }

    @Test func readingsAreFoundWhateverOrderTheyWereStagedIn() {
        var partition = StagedPartition()
        // Two series interleaved; series 3's minutes 5–9 before its minutes 0–4.
        for t in 5..<10 { partition.append(entry(3, Int64(t) * 60, Double(t))) }
        for t in 0..<10 { partition.append(entry(8, Int64(t) * 60, Double(100 + t))) }
        #expect(partition.find(slot: 3, time: 4 * 60) == nil)  // builds the index
        for t in [4, 0, 2, 1, 3] { partition.append(entry(3, Int64(t) * 60, Double(t))) }  // late, kept in the index
        partition.append(entry(3, 10 * 60, 10))
        for t in 0...10 {
            let at = partition.find(slot: 3, time: Int64(t) * 60)
            #expect(at.map { partition.entries[$0].value } == Double(t), "series 3 minute \(t)")
        }
        for t in 0..<10 {
            let at = partition.find(slot: 8, time: Int64(t) * 60)
            #expect(at.map { partition.entries[$0].value } == Double(100 + t), "series 8 minute \(t)")
        }
        #expect(partition.find(slot: 3, time: 30) == nil)
        #expect(partition.find(slot: 3, time: 11 * 60) == nil)
        #expect(partition.find(slot: 5, time: 0) == nil)
        // Taken out for a read: the other series is still found, at its new places.
        #expect(partition.removeAll(slot: 3).count == 11)
        #expect(partition.find(slot: 3, time: 0) == nil)
        for t in 0..<10 {
            let at = partition.find(slot: 8, time: Int64(t) * 60)
            #expect(at.map { partition.entries[$0].value } == Double(100 + t))
        }
    }

    @Test func anIndexBuiltFromLateReadingsIsSorted() {
        var partition = StagedPartition()
        for t in [7, 3, 9, 1, 5] { partition.append(entry(2, Int64(t), Double(t))) }
        for t in [1, 3, 5, 7, 9] { #expect(partition.find(slot: 2, time: Int64(t)).map { partition.entries[$0].value } == Double(t)) }
        for t in [0, 2, 4, 6, 8, 10] { #expect(partition.find(slot: 2, time: Int64(t)) == nil) }
    }
}
