/// The first of a packet's values of each factor code, found in one pass: a hash map on the code's
/// key (exact for codes of up to seven bytes), its bytes compared only for longer codes sharing a key.
///
/// What grouping by code needs (spreading `Flag` items, ``HJ212Decoded/readings``) without a scan
/// of the values seen so far for each value, which made a packet of 30,000 codes cost their square.
struct HJ212CodeIndex {
    /// Key → the value registered for it; longer codes sharing the key go to `collisions`.
    private var first: [UInt64: Int] = [:]
    private var collisions: [UInt64: [Int]] = [:]

    init(capacity: Int = 0) { first.reserveCapacity(capacity) }

    /// What is registered for the code of `value`, if anything.
    func lookup(_ value: HJ212RawValue, in values: UnsafeBufferPointer<HJ212RawValue>, _ p: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let i = first[value.codeKey] else { return nil }
        if values[i].hasSameCode(as: value, in: p) { return i }
        return collisions[value.codeKey]?.first { values[$0].hasSameCode(as: value, in: p) }
    }

    /// Registers `index` for its code unless one is registered already; returns what is.
    @discardableResult
    mutating func insert(_ index: Int, in values: UnsafeBufferPointer<HJ212RawValue>, _ p: UnsafeBufferPointer<UInt8>) -> Int {
        let value = values[index]
        guard let i = first[value.codeKey] else {
            first[value.codeKey] = index
            return index
        }
        if values[i].hasSameCode(as: value, in: p) { return i }
        if let j = collisions[value.codeKey]?.first(where: { values[$0].hasSameCode(as: value, in: p) }) { return j }
        collisions[value.codeKey, default: []].append(index)
        return index
    }
}
