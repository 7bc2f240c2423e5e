import Monitoring

/// The catalogue's HJ 212 codes in an open-addressing table keyed by ``HJ212Scan/codeKey(_:_:_:)``,
/// so that the decoder maps a code without building a `String`.
///
/// Its entries are exactly what ``ParameterCatalogue/byCode(_:)`` answers for every 2017 and 2005 code
/// of the catalogue. A 2005 code (its water and gas tables reuse short numbers, and real devices use
/// local codes such as `023` for other things) is only taken when the packet's system code (`ST`)
/// allows the parameter's medium; see ``HJ212Decoder`` for the rule.
struct HJ212CodeTable: Sendable {
    struct Entry: Sendable {
        var key: UInt64
        var index: UInt16
        var is2005: Bool
        var media: MediaMask
    }

    /// Which media a parameter is measured in, or a packet's `ST` admits.
    struct MediaMask: OptionSet, Sendable {
        var rawValue: UInt8
        static let water = MediaMask(rawValue: 1)
        static let gas = MediaMask(rawValue: 2)
        static let any: MediaMask = [.water, .gas]

        /// The media a system code admits for 2005 codes: water for ST 21, 24, 26, 32–35 and 52;
        /// gas for ST 22, 27, 31, 39 and 51; both for anything else or no ST.
        static func forST(_ p: UnsafeBufferPointer<UInt8>, _ span: HJ212Span?) -> MediaMask {
            guard let span, span.count == 2 else { return .any }
            let a = p[Int(span.lower)]
            let b = p[Int(span.lower) + 1]
            switch (a, b) {
            case (0x32, 0x31), (0x32, 0x34), (0x32, 0x36), (0x33, 0x32), (0x33, 0x33), (0x33, 0x34), (0x33, 0x35), (0x35, 0x32):
                return .water
            case (0x32, 0x32), (0x32, 0x37), (0x33, 0x31), (0x33, 0x39), (0x35, 0x31):
                return .gas
            default:
                return .any
            }
        }
    }

    /// Every parameter id of the catalogue; entries and lookups give indices into it.
    let ids: [String]
    private var slots: [Entry?]
    private let mask: Int
    private let catalogue: ParameterCatalogue
    /// Whether some code of the catalogue is longer than a key holds (never in the standard one).
    private let hasLongCodes: Bool

    init(_ catalogue: ParameterCatalogue) {
        self.catalogue = catalogue
        hasLongCodes = catalogue.parameters.contains { p in
            p.code2017.utf8.count > 7 || (p.code2005?.utf8.count ?? 0) > 7
        }
        var ids: [String] = []
        var indexOf: [String: UInt16] = [:]
        for p in catalogue.parameters where indexOf[p.id] == nil && ids.count < Int(HJ212RawValue.noParameter) {
            indexOf[p.id] = UInt16(ids.count)
            ids.append(p.id)
        }
        self.ids = ids
        var entries: [Entry] = []
        var seen: Set<String> = []
        for p in catalogue.parameters {
            for code in [p.code2017, p.code2005].compactMap({ $0 }) where code.utf8.count <= 7 {
                let folded = code.lowercased()
                guard seen.insert(folded).inserted, let hit = catalogue.byCode(code), let index = indexOf[hit.id] else { continue }
                let is2005 = hit.code2017.lowercased() != folded
                var media: MediaMask = []
                if hit.media[.water] != nil { media.insert(.water) }
                if hit.media[.fluegas] != nil || hit.media[.ambient] != nil { media.insert(.gas) }
                entries.append(Entry(key: HJ212Scan.codeKey(code), index: index, is2005: is2005, media: media))
            }
        }
        var size = 16
        while size < entries.count * 4 { size *= 2 }
        slots = Array(repeating: nil, count: size)
        mask = size - 1
        for e in entries {
            var i = HJ212CodeTable.hash(e.key) & mask
            while slots[i] != nil { i = (i + 1) & mask }
            slots[i] = e
        }
    }

    @inline(__always) private static func hash(_ key: UInt64) -> Int { Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 40) }

    /// The index in ``ids`` of the catalogue id of the code `p[start..<end]` with key `key`, in a
    /// packet whose ST admits `media`, or ``HJ212RawValue/noParameter``.
    func lookup(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, key: UInt64, media: MediaMask) -> UInt16 {
        if end - start > 7 {
            guard hasLongCodes, let id = catalogue.byCode(HJ212Scan.string(p, start, end))?.id, let i = ids.firstIndex(of: id) else {
                return HJ212RawValue.noParameter
            }
            return UInt16(i)
        }
        return slots.withUnsafeBufferPointer { s in
            var i = HJ212CodeTable.hash(key) & mask
            while let e = s[i] {
                if e.key == key {
                    return !e.is2005 || !e.media.isDisjoint(with: media) ? e.index : HJ212RawValue.noParameter
                }
                i = (i + 1) & mask
            }
            return HJ212RawValue.noParameter
        }
    }
}
