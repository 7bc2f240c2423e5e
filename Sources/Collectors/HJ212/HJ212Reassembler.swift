/// Collects the packets of split HJ 212 transmissions (`PNUM`/`PNO`, §11) until each set is complete.
///
/// A pure state machine: time only moves when the caller passes an instant, and the number of
/// pending sets is bounded.
///
/// ```swift
/// var sets = HJ212Reassembler<ContinuousClock.Instant>()
/// for event in sets.add(decoded, at: .now) {
///     if case .complete(let packets) = event { ingest(packets) }   // in PNO order
/// }
/// ```
///
/// Packets without `PNUM`/`PNO`, or with `PNUM=1`, pass straight through as a complete set of one.
///
/// **Which packets belong together.** A set is keyed by `MN`, `CN`, `PNUM` and one more field:
/// * HJ/T 212-2005 packets (Flag version 0 or no Flag) share the request's `QN`, so `QN` is used;
/// * HJ 212-2017 and later give every fragment its **own** `QN` but repeat `DataTime`, so `DataTime`
///   is used there (falling back to `QN`, then to nothing, when a field is missing).
///
/// Every 2017 fragment is a complete data segment, so an expired or evicted set can still be
/// ingested packet by packet: ``Event/expired(_:)`` and ``Event/evicted(_:)`` hand the packets back.
public struct HJ212Reassembler<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    /// The bounds of the reassembler.
    public struct Configuration: Sendable, Hashable {
        /// The most sets pending at once; a new set beyond it evicts the oldest.
        public var maxPendingSets: Int
        /// The largest `PNUM` held; bigger sets are rejected packet by packet.
        public var maxPackets: Int
        /// How long after its first packet an incomplete set expires.
        public var timeout: Duration

        /// Creates a configuration: 64 sets, 256 packets a set, 60 seconds by default.
        public init(maxPendingSets: Int = 64, maxPackets: Int = 256, timeout: Duration = .seconds(60)) {
            self.maxPendingSets = Swift.max(1, maxPendingSets)
            self.maxPackets = Swift.max(1, maxPackets)
            self.timeout = timeout
        }
    }

    /// What identifies one split transmission.
    public struct Key: Sendable, Hashable, CustomStringConvertible {
        /// `MN`.
        public var mn: String
        /// `CN`.
        public var cn: String
        /// `PNUM`.
        public var pnum: Int
        /// `QN=…` (2005), `DataTime=…` (2017 and later), or empty when neither was sent.
        public var discriminator: String

        public var description: String { "MN=\(mn) CN=\(cn) PNUM=\(pnum) \(discriminator)" }
    }

    /// The packets of a set that did not complete.
    public struct Incomplete: Sendable, Hashable {
        /// The set.
        public var key: Key
        /// The packets received, in PNO order.
        public var packets: [HJ212Decoded]
        /// The PNOs never received.
        public var missing: [Int]
    }

    /// What adding a packet or advancing time led to.
    public enum Event: Sendable, Hashable {
        /// A set is complete: its packets in PNO order (one packet for an unsplit one).
        case complete([HJ212Decoded])
        /// The packet was stored; its set has `received` of `total` packets.
        case pending(Key, received: Int, total: Int)
        /// The set already holds a packet with this PNO; the packet was not stored.
        case duplicate(HJ212Decoded)
        /// The packet cannot be part of a set (PNO outside 1…PNUM, PNUM over the bound).
        case rejected(HJ212Decoded, reason: String)
        /// A set timed out before completing.
        case expired(Incomplete)
        /// A set was pushed out by a new one when ``Configuration/maxPendingSets`` were pending.
        case evicted(Incomplete)
    }

    private struct Pending: Sendable {
        var firstSeen: Instant
        var packets: [Int: HJ212Decoded]
    }

    /// The configuration.
    public let configuration: Configuration
    private var pending: [Key: Pending] = [:]

    /// Creates a reassembler.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// The number of incomplete sets held.
    public var pendingCount: Int { pending.count }

    /// Adds a decoded packet received at `now`; first expires the sets that timed out.
    ///
    /// - Returns: the expiries, then what became of the packet.
    public mutating func add(_ packet: HJ212Decoded, at now: Instant) -> [Event] {
        var events = expire(at: now)
        guard let pnum = packet.frame.pnum, let pno = packet.frame.pno, pnum > 1 else {
            events.append(.complete([packet]))
            return events
        }
        guard (1...pnum).contains(pno) else {
            events.append(.rejected(packet, reason: "PNO \(pno) is outside 1…\(pnum)"))
            return events
        }
        guard pnum <= configuration.maxPackets else {
            events.append(.rejected(packet, reason: "PNUM \(pnum) is over the bound of \(configuration.maxPackets)"))
            return events
        }
        let key = HJ212Reassembler.key(of: packet, pnum: pnum)
        if var set = pending[key] {
            guard set.packets[pno] == nil else {
                events.append(.duplicate(packet))
                return events
            }
            set.packets[pno] = packet
            if set.packets.count == pnum {
                pending[key] = nil
                events.append(.complete((1...pnum).compactMap { set.packets[$0] }))
            } else {
                pending[key] = set
                events.append(.pending(key, received: set.packets.count, total: pnum))
            }
            return events
        }
        if pending.count >= configuration.maxPendingSets, let oldest = pending.min(by: { $0.value.firstSeen < $1.value.firstSeen }) {
            pending[oldest.key] = nil
            events.append(.evicted(HJ212Reassembler.incomplete(oldest.key, oldest.value)))
        }
        pending[key] = Pending(firstSeen: now, packets: [pno: packet])
        events.append(.pending(key, received: 1, total: pnum))
        return events
    }

    /// Expires the sets whose first packet came ``Configuration/timeout`` or more before `now`.
    public mutating func expire(at now: Instant) -> [Event] {
        let due = pending.filter { $0.value.firstSeen.duration(to: now) >= configuration.timeout }
        guard !due.isEmpty else { return [] }
        for key in due.keys { pending[key] = nil }
        return due.sorted { $0.value.firstSeen < $1.value.firstSeen }.map { Event.expired(HJ212Reassembler.incomplete($0.key, $0.value)) }
    }

    /// Hands back every pending set as incomplete, e.g. when the connection closes.
    public mutating func flush() -> [Incomplete] {
        let all = pending.sorted { $0.value.firstSeen < $1.value.firstSeen }.map { HJ212Reassembler.incomplete($0.key, $0.value) }
        pending.removeAll()
        return all
    }

    /// The set a split packet belongs to (see the type's discussion).
    public static func key(of packet: HJ212Decoded, pnum: Int) -> Key {
        var discriminator = ""
        let dataTime = packet.dataTime.map { t in "DataTime=\(t)" + (packet.dataTimeMilliseconds.map { ".\($0)" } ?? "") }
        let qn = packet.qn.map { "QN=\($0)" }
        if packet.version.is2017OrLater {
            discriminator = dataTime ?? qn ?? ""
        } else {
            discriminator = qn ?? dataTime ?? ""
        }
        return Key(mn: packet.mn ?? "", cn: packet.cn ?? "", pnum: pnum, discriminator: discriminator)
    }

    private static func incomplete(_ key: Key, _ set: Pending) -> Incomplete {
        let numbers = set.packets.keys.sorted()
        return Incomplete(
            key: key, packets: numbers.compactMap { set.packets[$0] }, missing: (1...key.pnum).filter { set.packets[$0] == nil })
    }
}
