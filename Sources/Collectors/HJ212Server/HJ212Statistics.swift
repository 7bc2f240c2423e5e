import Monitoring

/// The HJ 212 server's figures: per station and in all. Shared by every connection.
public final class HJ212Statistics: Sendable {
    /// One station's figures.
    public struct Station: Sendable, Hashable, Codable {
        /// Frames received (whatever became of them).
        public var frames = 0
        /// Frames whose readings were committed (or that held none) and were accepted.
        public var accepted = 0
        /// Frames dropped for a wrong CRC.
        public var badCRC = 0
        /// Frames refused: wrong password, no DataTime, a store failure, …
        public var rejected = 0
        /// Samples newly stored.
        public var samplesStored = 0
        /// Samples already stored with the same value (re-sends).
        public var duplicates = 0
        /// Values refused (unknown code, not configured, out of range).
        public var valuesRejected = 0
        /// Frames whose `DataTime` no working clock gives (too old, too far ahead, not a date):
        /// faults of the station's clock. Refused or quarantined, as `bad_time` says.
        public var clockFaults = 0
        /// The last such `DataTime`, as sent.
        public var lastBadTime: String?
        /// Frames kept in the quarantine file instead of being stored.
        public var quarantined = 0
        /// Replies sent.
        public var replies = 0
        /// When the last frame came, seconds since the epoch.
        public var lastSeen: Int64?
        /// The address it came from.
        public var lastPeer: String?
    }

    /// Figures not tied to a known station.
    public struct Totals: Sendable, Hashable, Codable {
        public var connectionsAccepted = 0
        public var connectionsRefused = 0
        public var connectionsOpen = 0
        /// Frames from MNs that no station has.
        public var unknownMN = 0
        /// Frames quarantined.
        public var quarantined = 0
        /// Frames the quarantine refused (over their address's rate, or a write backlog): no reply.
        public var quarantineRefused = 0
        /// Frames without an MN, or undecodable, or with a bad CRC and no known MN.
        public var unattributed = 0
        /// Bytes that were not part of any frame.
        public var garbageBytes = 0
        /// Frames dropped by the framer (bad length, no end, too long).
        public var unframeable = 0
        /// Connections closed for idleness.
        public var idleClosed = 0
        /// Connections closed because a frame (or the first one) did not arrive whole in time.
        public var frameTimeouts = 0
        /// Connections without an authenticated frame closed to make room for a new one.
        public var connectionsEvicted = 0
        /// Accepts that failed for want of descriptors or memory (EMFILE, ENFILE, …).
        public var acceptErrors = 0
    }

    /// One station's figures, held by the connections that carry it, so that a frame changes
    /// them without looking the station up: a lock of the whole table, a hash of the id and a
    /// dictionary probe were paid three times a frame.
    public final class Figures: Sendable {
        private let figures = Locked(Station())

        /// Changes the figures.
        public func change(_ body: (inout Station) -> Void) { figures.withLock { body(&$0) } }

        /// A copy of the figures.
        public var current: Station { figures.withLock { $0 } }
    }

    private struct State: ~Copyable {
        var stations: [String: Figures] = [:]
        var totals = Totals()
    }
    private let state = Locked(State())

    /// Creates empty figures.
    public init() {}

    /// The figures of one station (made empty the first time), to change many times.
    public func figures(of id: String) -> Figures {
        state.withLock { state in
            if let figures = state.stations[id] { return figures }
            let made = Figures()
            state.stations[id] = made
            return made
        }
    }

    /// Changes one station's figures.
    public func station(_ id: String, _ change: (inout Station) -> Void) {
        figures(of: id).change(change)
    }

    /// Changes the totals.
    public func totals(_ change: (inout Totals) -> Void) {
        state.withLock { change(&$0.totals) }
    }

    /// A copy of every station's figures.
    public var stations: [String: Station] { state.withLock { $0.stations }.mapValues(\.current) }
    /// A copy of the totals.
    public var total: Totals { state.withLock { $0.totals } }
}
