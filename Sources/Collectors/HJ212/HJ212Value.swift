public import Monitoring

/// One pollutant item of a packet's `CP`: `code-Field=value`, such as `a34004-Rtd=33`.
///
/// The texts stay bytes of the frame until read, so decoding a packet allocates no string per item.
/// Every item becomes a value, `Flag` items included; each value also carries the data flag of its
/// code: the `code-Flag` in the same `;` group, or else any `code-Flag` of the packet.
public struct HJ212Value: Sendable, Hashable, CustomStringConvertible {
    let storage: [UInt8]
    let codeSpan: HJ212Span
    let textSpan: HJ212Span
    let codeKey: UInt64

    /// The sub-key: `Rtd`, `Avg`, `Flag`, …
    public let field: HJ212Field
    /// The value as a number, when it is one (never for `Flag`, `EFlag`, `SampleTime`, `SN`, `Info`).
    public let number: Double?
    /// The data flag that applies to this value (for a `Flag` item, its own), mapped per version.
    public var flag: DataFlag?
    /// The catalogue id of the code (``Parameter/id``), or `nil` for codes the catalogue lacks.
    public var parameter: String?

    init(
        storage: [UInt8], code: HJ212Span, text: HJ212Span, codeKey: UInt64, field: HJ212Field, number: Double?,
        flag: DataFlag?, parameter: String?
    ) {
        self.storage = storage
        self.codeSpan = code
        self.textSpan = text
        self.codeKey = codeKey
        self.field = field
        self.number = number
        self.flag = flag
        self.parameter = parameter
    }

    /// Creates a value, for example to encode it.
    ///
    /// - Parameters:
    ///   - code: the factor code, e.g. `a34004`.
    ///   - field: the sub-key.
    ///   - text: the value exactly as it is to be sent, e.g. `33` or `0.000`.
    ///   - flag: the data flag that applies to the value.
    ///
    /// ``parameter`` is the standard catalogue's entry for `code`, whatever the medium.
    public init(code: String, field: HJ212Field, text: String, flag: DataFlag? = nil) {
        let bytes = Array(code.utf8) + Array(text.utf8)
        let codeCount = code.utf8.count
        storage = bytes
        codeSpan = HJ212Span(0, codeCount)
        textSpan = HJ212Span(codeCount, bytes.count)
        codeKey = HJ212Scan.codeKey(code)
        self.field = field
        number = HJ212Field.parsesNumber(kind: field.kind) ? bytes.withUnsafeBufferPointer { HJ212Scan.parseNumber($0, codeCount, $0.count) } : nil
        self.flag = flag
        parameter = ParameterCatalogue.standard.byCode(code)?.id
    }

    /// The factor code as sent: `a34004`, `w01018`, `011`, a vendor code such as `pms_rules`.
    public var code: String { codeSpan.text(in: storage) }

    /// The value as sent.
    public var text: String { textSpan.text(in: storage) }

    /// The value as a time, for `SampleTime` and other `YYYYMMDDhhmmss[zzz]` values.
    public var time: CivilTime? {
        storage.withUnsafeBufferPointer { HJ212Scan.parseTime($0, Int(textSpan.lower), Int(textSpan.upper))?.0 }
    }

    /// Whether `other` is an item of the same factor code (compared case-insensitively).
    public func hasSameCode(as other: HJ212Value) -> Bool {
        guard codeKey == other.codeKey else { return false }
        if codeSpan.count <= 7 { return true }
        return storage[codeSpan.range].elementsEqual(other.storage[other.codeSpan.range]) { a, b in
            (a &- 0x41 < 26 ? a | 0x20 : a) == (b &- 0x41 < 26 ? b | 0x20 : b)
        }
    }

    /// `code-Field=text`, as in the packet.
    public var description: String { "\(code)-\(field.name)=\(text)" }

    public static func == (a: HJ212Value, b: HJ212Value) -> Bool {
        a.field == b.field && a.flag == b.flag && a.parameter == b.parameter
            && a.storage[a.codeSpan.range].elementsEqual(b.storage[b.codeSpan.range])
            && a.storage[a.textSpan.range].elementsEqual(b.storage[b.textSpan.range])
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(field)
        hasher.combine(flag)
        hasher.combine(codeKey)
        hasher.combine(textSpan.count)
    }
}
