import NIOCore

/// When a connection has had its time: a pure state machine of the frame and idle timeouts,
/// beside ``HJ212ConnectionHandler``, which tells it what it reads and asks it when to check.
///
/// - A new connection must deliver its first complete frame within the frame timeout of
///   connecting, and every later frame within the frame timeout of its first byte: a peer that
///   trickles a frame a byte at a time, or connects and says nothing, loses its slot in a minute.
/// - A connection that delivers no complete frame for the idle timeout is closed. Only complete
///   frames count: bytes that make none (garbage, a CR LF) do not keep a connection open.
/// - While the server itself does not read (too many frames wait for their commits, or it
///   drains), no time runs out: the peer is not to blame. Both clocks start again on resuming.
///
/// ```swift
/// var deadlines = HJ212ConnectionDeadlines(connectedAt: loop.now, frameTimeout: .seconds(60), idleTimeout: .minutes(10))
/// deadlines.read(at: loop.now, completedFrames: 1, holdsPartialFrame: false)
/// switch deadlines.verdict(at: loop.now) {
/// case .check(let at): scheduleCheck(at)
/// case .close(let reason): close(reason)
/// }
/// ```
struct HJ212ConnectionDeadlines: Equatable {
    /// Why a connection is closed.
    enum Reason: Equatable {
        /// No complete frame within the frame timeout of connecting.
        case noFirstFrame
        /// A frame begun more than the frame timeout ago has not ended.
        case incompleteFrame
        /// No complete frame for the idle timeout.
        case idle
    }

    /// What to do now.
    enum Verdict: Equatable {
        /// Nothing yet; check again at this time (a frame may begin before then, so never later
        /// than one frame timeout from now).
        case check(at: NIODeadline)
        /// Close the connection.
        case close(Reason)
    }

    /// How long a frame may take.
    let frameTimeout: TimeAmount
    /// How long a connection may go without a complete frame.
    let idleTimeout: TimeAmount
    /// When the last complete frame ended (or the connection was made, or reading resumed).
    private(set) var lastFrame: NIODeadline
    /// When the frame now being received began (at first, when the connection was made).
    private(set) var frameStarted: NIODeadline?
    /// Whether a complete frame has arrived on this connection.
    private(set) var framesSeen = false
    /// Whether the server has stopped reading.
    private(set) var paused = false

    /// A connection made at `now`: its first frame is due within `frameTimeout`.
    init(connectedAt now: NIODeadline, frameTimeout: TimeAmount, idleTimeout: TimeAmount) {
        self.frameTimeout = frameTimeout
        self.idleTimeout = idleTimeout
        lastFrame = now
        frameStarted = now
    }

    /// Whether ``read(at:completedFrames:holdsPartialFrame:)`` would change anything, so the
    /// caller reads the clock only when it must (once for reads that end frames).
    func needsTime(completedFrames: Int, holdsPartialFrame: Bool) -> Bool {
        completedFrames > 0 || (holdsPartialFrame && frameStarted == nil)
    }

    /// Bytes were read at `now`: they completed `completedFrames` frames, and the framer holds
    /// the beginning of another when `holdsPartialFrame`.
    mutating func read(at now: NIODeadline, completedFrames: Int, holdsPartialFrame: Bool) {
        if completedFrames > 0 {
            lastFrame = now
            framesSeen = true
            // The next frame's first bytes came with this read: its time starts now.
            frameStarted = holdsPartialFrame ? now : nil
        } else if holdsPartialFrame && frameStarted == nil {
            frameStarted = now
        }
    }

    /// The server stopped reading.
    mutating func pause() { paused = true }

    /// The server reads again at `now`: what was overdue while it did not is given its full time again.
    mutating func resume(at now: NIODeadline) {
        paused = false
        lastFrame = now
        if frameStarted != nil { frameStarted = now }
    }

    /// Whether the connection has had its time at `now`, or when to ask again.
    func verdict(at now: NIODeadline) -> Verdict {
        if paused { return .check(at: now + frameTimeout) }
        if let frameStarted, now >= frameStarted + frameTimeout {
            return .close(framesSeen ? .incompleteFrame : .noFirstFrame)
        }
        let idleAt = lastFrame + idleTimeout
        if now >= idleAt { return .close(.idle) }
        return .check(at: min(idleAt, (frameStarted ?? now) + frameTimeout))
    }
}
