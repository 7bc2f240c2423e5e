/// How the HJ 212 server listens, frames, authenticates and replies. Every field has the default
/// the README documents; `serve` reads them from the `hj212:` section of the config file.
public struct HJ212ServerConfiguration: Sendable, Hashable {
    /// What to do with a frame from an MN that no station in sensors/ has.
    public enum UnknownMNPolicy: String, Sendable, Hashable, CaseIterable {
        /// Drop it, count it, send no reply: the device keeps its data and retries.
        case reject
        /// Keep the raw frame in the quarantine file and acknowledge it, storing no samples.
        case quarantine
    }

    /// What to do with a frame whose `DataTime` no working clock gives: older than ``maxPast``,
    /// further ahead than ``maxFuture``, or not a date. Either way it is counted as a fault of the
    /// station's clock and reported to the rules (their `clock` kind).
    public enum BadTimePolicy: String, Sendable, Hashable, CaseIterable {
        /// Drop it, send no reply: the device keeps the frame and sends it again.
        case reject
        /// Keep the raw frame in the quarantine file and acknowledge it, storing no samples: the
        /// device's buffer moves on, and the frames stay at hand for whoever repairs its clock.
        case quarantine
    }

    /// What to do with a frame whose CRC is wrong.
    public enum BadCRCPolicy: String, Sendable, Hashable, CaseIterable {
        /// Drop it without a reply, as HJ 212-2017 says ("if the CRC is wrong, execution ends").
        case drop
        /// Also accept the CRC-16/MODBUS variants that some devices send (plain or byte-swapped).
        case acceptModbus = "accept-modbus"
    }

    /// The address to listen on.
    public var host = "0.0.0.0"
    /// The TCP port; 0 lets the system choose (tests).
    public var port = 9212
    /// The largest frame accepted, in bytes from `##` to CR LF. The standard's length field allows
    /// 9,999 data bytes; captures show devices that exceed the nominal 1,024.
    public var maxFrameBytes = 10_240
    /// A connection that delivers no complete frame for this many seconds is closed. Bytes that
    /// make no frame do not count: a peer sending a byte every few seconds is closed all the same.
    public var idleTimeout: Int64 = 600
    /// Seconds a frame may take from its first byte to its end, and a new connection from
    /// connecting to the end of its first frame; past it the connection is closed. A frame is at
    /// most ~10 KiB, which even a 9.6 kbit/s GPRS link carries in about 10 s, and units send as
    /// soon as they connect: a minute is ample for them and frees a slot held by a trickling or
    /// silent peer ten times sooner than the idle timeout.
    public var frameTimeout: Int64 = 60
    /// Connections open at once; when every one is taken, a new connection closes the oldest
    /// that has not yet sent an authenticated frame, or is refused when there is none.
    public var maxConnections = 4_096
    /// Connections open at once from one address; more are refused.
    public var maxConnectionsPerAddress = 64
    /// Connections open at once that have not yet sent an authenticated frame (a valid CRC, a
    /// known MN and, when checked, the right password); past it a new connection closes the
    /// oldest of them. A quarter of ``maxConnections`` by default: more than a whole network of
    /// 1,000 units reconnecting at once (after a restart) ever holds before their first frames
    /// arrive, and it leaves three quarters of the slots to units, whatever idle peers do.
    public var maxUnauthenticatedConnections = 1_024
    /// Milliseconds a new connection keeps its slot before a newer one may close it to make room
    /// (under ``maxConnections`` or ``maxUnauthenticatedConnections``); when every connection
    /// without an authenticated frame is younger, the newcomer is refused instead. Two seconds
    /// let a unit that connected in a reconnect storm or during a flood send its first frame (a
    /// round trip or two over GPRS) before anyone can take its slot, while a peer that only
    /// holds slots loses each one after two seconds.
    public var evictionGrace: Int64 = 2_000
    /// Frames of one connection waiting for their commit before it stops reading.
    public var maxFramesInFlight = 256
    /// Frames from unknown MNs.
    public var unknownMN: UnknownMNPolicy = .reject
    /// Where quarantined frames go, one frame a line (readable by `envmon hj212 decode --escaped`).
    public var quarantineFile = "var/hj212-quarantine.log"
    /// The quarantine file's size, rate and backlog bounds (``HJ212Quarantine/Limits``): 64 MiB
    /// before it is rotated to `FILE.1`, 60 frames at once and then one a second per address.
    public var quarantineLimits = HJ212Quarantine.Limits()
    /// Frames with a wrong CRC.
    public var badCRC: BadCRCPolicy = .drop
    /// Check the `PW` of each frame against the station's password, when the station has one.
    public var checkPassword = true
    /// Seconds a `DataTime` may lie ahead of the server's clock.
    public var maxFuture: Int64 = 3_600
    /// Seconds a `DataTime` may lie behind the server's clock. Field units buffer what they
    /// measure while the line is down and send it when it is back — weeks or months later, after
    /// a dead modem at a remote section, a seasonal shutdown. 400 days takes a whole year's
    /// backfill (and last year's hours, which the annual report still needs) with a month to
    /// spare, and still refuses what clocks send after a reset: 1970 (a Unix epoch), 2000-01-01
    /// (an RTC's reset value), 1900 and 0001 (zeroed dates), a GPS week rollover (~20 years).
    public var maxPast: Int64 = 400 * 86_400
    /// Frames whose `DataTime` is outside [now − ``maxPast``, now + ``maxFuture``] or not a date.
    public var badTime: BadTimePolicy = .reject
    /// Bytes of garbage (no frame found) after which a connection is closed as unframeable.
    public var maxGarbageBytes = 65_536

    /// The default configuration.
    public init() {}

    /// The CRC variants accepted under ``badCRC``.
    public var acceptedCRCVariants: Set<HJ212CRCVariant> {
        switch badCRC {
        case .drop: [.hj212]
        case .acceptModbus: [.hj212, .modbus, .modbusSwapped]
        }
    }
}
