import NIOCore

/// One connection's frames whose replies are not yet sent: replies go out in frame order, each
/// only once its frame is done (committed, or needing no commit); reading pauses while too many
/// frames wait for their commits. A pure state machine beside ``HJ212ConnectionHandler``, which
/// performs what it returns.
///
/// ```swift
/// var queue = HJ212ReplyQueue(maxInFlight: 256)
/// let (id, action) = queue.enqueue(reply: bytes, station: "s1", waitsForCommit: true) { send($0) }
/// // … after the commit:
/// let next = queue.complete(id, acknowledged: true) { send($0) }
/// ```
///
/// The `send` closures receive the replies that became due, in frame order; they are not
/// escaping, so nothing is allocated per frame beyond the queue's own ring buffer.
///
/// `Station` is what a reply carries for its station's figures: the collector passes the
/// station's ``HJ212Statistics/Figures``, so that counting a reply looks nothing up.
struct HJ212ReplyQueue<Station> {
    /// What the handler does after an event (besides sending what it was handed).
    enum Action: Equatable {
        case none
        /// Stop reading: too many frames wait for their commits.
        case pauseReading
        /// Read again: the commits caught up.
        case resumeReading
        /// Close the connection: it is draining and every reply is out.
        case close
    }

    /// A reply due now.
    struct Reply {
        /// The bytes to write.
        var bytes: [UInt8]
        /// The station whose frame it answers, for its figures (nil for quarantined frames).
        var station: Station?
    }

    private struct Slot {
        var done: Bool
        var reply: [UInt8]?
        var station: Station?
    }

    /// Frames that may wait for their commits before reading pauses; reading resumes below half of it.
    let maxInFlight: Int
    private var slots = CircularBuffer<Slot>()
    /// The id of `slots.first`; ids grow by one a frame.
    private var firstID = 0
    /// Whether reading is paused because of ``maxInFlight``.
    private(set) var readingPaused = false
    /// Whether the connection is draining (shutdown): no more frames, close when empty.
    private(set) var draining = false

    /// Creates an empty queue.
    init(maxInFlight: Int) {
        self.maxInFlight = max(1, maxInFlight)
    }

    /// Frames not yet answered (or passed over).
    var count: Int { slots.count }

    /// A frame arrived. Its `reply` (nil: none is due, the frame only keeps its place) goes out
    /// once every earlier frame's has; when it `waitsForCommit`, only after ``complete(_:acknowledged:send:)``.
    ///
    /// - Returns: the frame's id, for ``complete(_:acknowledged:send:)``, and what to do.
    mutating func enqueue(
        reply: [UInt8]?, station: Station?, waitsForCommit: Bool, send: (Reply) -> Void
    ) -> (id: Int, action: Action) {
        let id = firstID + slots.count
        slots.append(Slot(done: !waitsForCommit, reply: reply, station: station))
        if !waitsForCommit { return (id, flush(send)) }
        if !readingPaused && !draining && slots.count >= maxInFlight {
            readingPaused = true
            return (id, .pauseReading)
        }
        return (id, .none)
    }

    /// The commit of frame `id` finished; `acknowledged` false (it failed) withdraws its reply,
    /// so that the unit keeps the data and sends it again. Unknown ids are ignored.
    mutating func complete(_ id: Int, acknowledged: Bool, send: (Reply) -> Void) -> Action {
        let offset = id - firstID
        guard offset >= 0, offset < slots.count else { return .none }
        let index = slots.index(slots.startIndex, offsetBy: offset)
        slots[index].done = true
        if !acknowledged { slots[index].reply = nil }
        return flush(send)
    }

    /// The server shuts down: stop reading, and close once every frame in flight is answered.
    mutating func drain() -> Action {
        draining = true
        if slots.isEmpty { return .close }
        if readingPaused { return .none }
        readingPaused = true
        return .pauseReading
    }

    /// Hands out the replies that are due, in frame order.
    private mutating func flush(_ send: (Reply) -> Void) -> Action {
        while let first = slots.first, first.done {
            slots.removeFirst()
            firstID += 1
            if let reply = first.reply { send(Reply(bytes: reply, station: first.station)) }
        }
        if draining { return slots.isEmpty ? .close : .none }
        // Rounded up: with a limit of 1, reading resumes once the queue is empty (with `/ 2` it
        // never would).
        if readingPaused && slots.count < (maxInFlight + 1) / 2 {
            readingPaused = false
            return .resumeReading
        }
        return .none
    }
}
