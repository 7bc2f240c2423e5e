extension HJ212ServerConfiguration {
    /// Descriptors kept for everything but HJ 212 connections. The daemon at rest holds 26:
    /// standard input, output and error, NIO's event loops (an epoll, an eventfd and a timerfd
    /// each), the signal handlers, the listening socket, and SQLite's writer, checkpointer and
    /// reader on the store, its WAL and shared memory. Under concurrent reads SQLite opens two
    /// more per extra reader; the quarantine file takes one. 64 leaves about 30 spare for those.
    /// A burst of refused connections also holds descriptors for a moment (each is accepted,
    /// then closed); past the spare ones the server pauses accepting (``HJ212AcceptBackoff``).
    public static let reservedFileDescriptors = 64

    /// This configuration with ``maxConnections`` within what `openFiles` descriptors allow
    /// (that many less ``reservedFileDescriptors``, at least 1), and what was changed, to log.
    /// The other connection limits need no change: they only matter below ``maxConnections``.
    ///
    /// - Returns: the configuration, and nil or a sentence with the configured value, the value
    ///   used and the limit.
    public func clamped(toOpenFiles openFiles: Int) -> (configuration: HJ212ServerConfiguration, warning: String?) {
        let capacity = max(1, openFiles - Self.reservedFileDescriptors)
        guard maxConnections > capacity else { return (self, nil) }
        var clamped = self
        clamped.maxConnections = capacity
        return (
            clamped,
            "max_connections \(maxConnections) is more than \(openFiles) open files allow: using \(capacity) "
                + "(\(Self.reservedFileDescriptors) descriptors are kept for the store, its WAL, the listening socket, event loops "
                + "and logs; raise the hard open-file limit, LimitNOFILE= in a systemd unit or nofile in limits.conf, for more)"
        )
    }
}
