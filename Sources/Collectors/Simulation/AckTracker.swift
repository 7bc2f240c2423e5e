/// The frames a sender waits to see acknowledged, by `QN`: when each was sent, when to resend it,
/// and when to give up. Pure bookkeeping; the caller owns the clock and the socket.
///
/// ```swift
/// var tracker = AckTracker<[UInt8]>(timeout: 5_000_000_000, maxResends: 5)   // nanoseconds
/// tracker.sent(frame.qn, payload: frame.bytes, at: now)
/// if let ack = tracker.acknowledge(reply.qn, at: later) { latencies.append(ack.latency) }
/// for action in tracker.due(at: now) {
///     switch action {
///     case .resend(let entry): write(entry.payload)
///     case .giveUp(let entry): report(entry.qn)
///     }
/// }
/// ```
///
/// A frame is sent once and resent at most `maxResends` times, each time after `timeout` without
/// its acknowledgement; when the last resend times out too, the frame is given up. Times are in
/// any monotonic unit; the tracker only compares and subtracts them.
///
/// Inlinable: the simulator's sessions (another module) call it for every frame, and an
/// unspecialised generic looked its metadata up at run time (about a tenth of the simulator's
/// CPU in profiles).
public struct AckTracker<Payload> {
    /// A frame awaiting its acknowledgement.
    public struct Entry {
        /// The frame's `QN`.
        public let qn: String
        /// What the caller needs to resend it.
        public let payload: Payload
        /// When it was first sent.
        public let firstSent: Int64
        /// When it was last sent.
        public internal(set) var lastSent: Int64
        /// How often it was sent, the first send included.
        public internal(set) var sends: Int
        /// Its place in send order.
        @usableFromInline let order: Int

        @usableFromInline
        init(qn: String, payload: Payload, firstSent: Int64, lastSent: Int64, sends: Int, order: Int) {
            self.qn = qn
            self.payload = payload
            self.firstSent = firstSent
            self.lastSent = lastSent
            self.sends = sends
            self.order = order
        }

        /// How often it was resent.
        public var resends: Int { sends - 1 }
    }

    /// A matched acknowledgement.
    public struct Acknowledgement {
        /// The frame, now no longer tracked.
        public let entry: Entry
        /// From the frame's first send to its acknowledgement.
        public let latency: Int64

        @usableFromInline init(entry: Entry, latency: Int64) {
            self.entry = entry
            self.latency = latency
        }
    }

    /// What to do with a frame whose acknowledgement is overdue.
    public enum Action {
        /// Send it again now; the tracker has counted the send.
        case resend(Entry)
        /// Stop waiting: it was sent `maxResends + 1` times without an acknowledgement.
        case giveUp(Entry)
    }

    /// How long to wait for an acknowledgement after each send.
    public let timeout: Int64
    /// How often a frame is resent before it is given up.
    public let maxResends: Int
    @usableFromInline var entries: [String: Entry] = [:]
    @usableFromInline var nextOrder = 0

    /// Creates a tracker.
    /// - Parameters:
    ///   - timeout: the wait after each send, in the caller's time unit (> 0).
    ///   - maxResends: resends before giving up (≥ 0).
    public init(timeout: Int64, maxResends: Int) {
        self.timeout = Swift.max(1, timeout)
        self.maxResends = Swift.max(0, maxResends)
    }

    /// Frames awaiting acknowledgement.
    @inlinable public var count: Int { entries.count }

    /// Whether no frame awaits acknowledgement.
    @inlinable public var isEmpty: Bool { entries.isEmpty }

    /// Whether a frame with this `QN` awaits acknowledgement.
    public func contains(_ qn: String) -> Bool { entries[qn] != nil }

    /// The frames awaiting acknowledgement, in the order they were first sent.
    public var pending: [Entry] { entries.values.sorted { $0.order < $1.order } }

    /// The earliest time at which ``due(at:)`` has something to do, or `nil` when nothing waits.
    @inlinable public var nextDeadline: Int64? {
        var earliest: Int64?
        for entry in entries.values where entry.lastSent < earliest ?? .max { earliest = entry.lastSent }
        return earliest.map { $0 + timeout }
    }

    /// Records a frame's first send. A `QN` already tracked is left as it is.
    /// - Returns: whether the frame is now tracked as new.
    @inlinable @discardableResult
    public mutating func sent(_ qn: String, payload: Payload, at now: Int64) -> Bool {
        guard entries[qn] == nil else { return false }
        entries[qn] = Entry(qn: qn, payload: payload, firstSent: now, lastSent: now, sends: 1, order: nextOrder)
        nextOrder += 1
        return true
    }

    /// Matches an acknowledgement.
    /// - Returns: the frame and its latency, or `nil` for a `QN` not awaited (unknown, given up, or
    ///   acknowledged before: a duplicate reply to a resend).
    @inlinable public mutating func acknowledge(_ qn: String, at now: Int64) -> Acknowledgement? {
        guard let entry = entries.removeValue(forKey: qn) else { return nil }
        return Acknowledgement(entry: entry, latency: now - entry.firstSent)
    }

    /// The frames whose wait is over at `now`, in send order: each is resent (and counted as sent
    /// at `now`), or given up when it has been resent `maxResends` times already.
    public mutating func due(at now: Int64) -> [Action] {
        let overdue = entries.values.filter { now - $0.lastSent >= timeout }.sorted { $0.order < $1.order }
        return overdue.map { act(on: $0.qn, at: now) }
    }

    /// Resends every frame awaiting acknowledgement at `now`, as after a reconnect: the replies to
    /// frames sent on a closed connection will never come. Frames that have used all their resends
    /// are given up.
    public mutating func resendAll(at now: Int64) -> [Action] {
        pending.map { act(on: $0.qn, at: now) }
    }

    /// Gives up every frame awaiting acknowledgement (the sender stops for good).
    public mutating func giveUpAll() -> [Entry] {
        let all = pending
        entries.removeAll()
        return all
    }

    private mutating func act(on qn: String, at now: Int64) -> Action {
        var entry = entries[qn]!
        if entry.resends >= maxResends {
            entries[qn] = nil
            return .giveUp(entry)
        }
        entry.sends += 1
        entry.lastSent = now
        entries[qn] = entry
        return .resend(entry)
    }
}

extension AckTracker: Sendable where Payload: Sendable {}
extension AckTracker.Entry: Sendable where Payload: Sendable {}
extension AckTracker.Acknowledgement: Sendable where Payload: Sendable {}
extension AckTracker.Action: Sendable where Payload: Sendable {}
