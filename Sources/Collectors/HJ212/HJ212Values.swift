/// The pollutant items of a decoded packet, in packet order: a random-access collection of
/// ``HJ212Value``.
///
/// The items are stored as byte ranges of the frame, so decoding allocates nothing per item; each
/// ``HJ212Value`` is made when it is read.
public struct HJ212Values: RandomAccessCollection, Sendable, Hashable, CustomStringConvertible {
    let storage: [UInt8]
    var raw: [HJ212RawValue]
    let ids: [String]

    init(storage: [UInt8], raw: [HJ212RawValue], ids: [String]) {
        self.storage = storage
        self.raw = raw
        self.ids = ids
    }

    /// No items.
    public init() {
        self.init(storage: [], raw: [], ids: [])
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { raw.count }

    public subscript(position: Int) -> HJ212Value {
        let r = raw[position]
        return HJ212Value(
            storage: storage, code: r.code, text: r.text, codeKey: r.codeKey,
            field: r.kind == HJ212Field.otherKind ? .other(r.field.text(in: storage)) : HJ212Field.known[Int(r.kind)],
            number: r.number, flag: r.dataFlag,
            parameter: r.parameter == HJ212RawValue.noParameter ? nil : ids[Int(r.parameter)])
    }

    public static func == (a: HJ212Values, b: HJ212Values) -> Bool { a.elementsEqual(b) }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(raw.count)
        for value in self { hasher.combine(value) }
    }

    /// The items as `code-Field=text`, comma-separated.
    public var description: String { map(\.description).joined(separator: ",") }
}
