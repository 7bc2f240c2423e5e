import Monitoring
import Dispatch
import GRDBSQLite

/// Copies committed WAL frames into the database file on a thread of its own.
///
/// SQLite's automatic checkpoint runs inside the commit of whichever write crosses its
/// threshold, on the writer's thread: at full ingest speed that is a tenth of the writer's time.
/// Here the writer only nudges after each commit, and a passive checkpoint on a second
/// connection does the copying on the other core. A passive checkpoint never blocks the writer
/// or readers; it copies what no reader still needs, and the writer restarts the WAL from its
/// beginning once everything has been copied at the start of a transaction. Under sustained
/// ingest the next batch usually starts before the copy ends, so the WAL would only grow: past
/// ``restartFrames`` the checkpointer asks the writer to copy the rest between two of its
/// transactions (``takeWriterRequest()``), which lets the next transaction restart the WAL.
/// (A restarting checkpoint from this connection would have to win the write lock from a
/// writer that commits back to back, and in practice never did.)
final class WALCheckpointer: Sendable {
    private let queue = DispatchQueue(label: "envmon-store-checkpoint")
    private struct State: ~Copyable {
        var connection: OpaquePointer?
        var scheduled = false
        /// When the writer was asked to checkpoint (uptime nanoseconds), or nil.
        var writerRequested: UInt64?
        /// When the last checkpoint began (uptime nanoseconds), or 0.
        var lastRun: UInt64 = 0
        /// Checked before every checkpoint, once the daemon guards the file: a checkpoint into a
        /// file overwritten in place would mix our pages into someone else's file.
        var fileGuard: StoreFileGuard?
    }
    private let state: Locked<State>
    /// WAL frames (pages) above which a checkpoint restarts the WAL: 25,000 × 4 KiB ≈ 100 MB.
    static let restartFrames: Int32 = 25_000
    /// The least time between two checkpoints' starts: 250 ms.
    static let interval: UInt64 = 250_000_000
    /// The most WAL frames the writer is asked to copy itself: about 2 MB, a millisecond or two.
    static let writerBacklogFrames: Int32 = 500

    /// Opens a second connection to the database at `path` (which must already exist, in WAL mode).
    init?(path: String) {
        var handle: OpaquePointer?
        let rc = sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let handle else {
            sqlite3_close_v2(handle)
            return nil
        }
        // A restarting checkpoint waits this long for the writer's transaction to end.
        sqlite3_busy_timeout(handle, 10_000)
        // Keeps the `-wal` and `-shm` files if this connection is the last to close, as the pool's do.
        try? SQLiteStore.persistWAL(handle)
        // A connection learns that the file is in WAL mode when it first reads it; until then
        // a checkpoint on it is a no-op that reports -1 frames (the WAL then only ever grew).
        guard sqlite3_exec(handle, "SELECT count(*) FROM sqlite_master", nil, nil, nil) == SQLITE_OK else {
            sqlite3_close_v2(handle)
            return nil
        }
        state = Locked(State(connection: handle))
    }

    /// Asks for a checkpoint soon: at once if the last one began ``interval`` ago or more, else
    /// when it has; nudges while one is already waiting add nothing.
    ///
    /// Not after every commit: a live feed commits a hundred times a second, and each checkpoint
    /// syncs the WAL and the database file. Checkpointing after each made the disk's writeback
    /// stall the writer's own WAL writes for tens to hundreds of milliseconds (seen in the
    /// scheduler's traces as commits blocked in the kernel), and copied the same hot pages (the
    /// tail page of every series) again and again; at most every ``interval`` each is copied once.
    func nudge() {
        let delay = state.withLock { s -> UInt64? in
            if s.scheduled || s.connection == nil { return nil }
            s.scheduled = true
            let now = DispatchTime.now().uptimeNanoseconds
            let due = s.lastRun == 0 ? now : s.lastRun + Self.interval
            return due > now ? due - now : 0
        }
        guard let delay else { return }
        queue.asyncAfter(deadline: .now() + .nanoseconds(Int(delay))) { [self] in
            let (connection, watch) = state.withLock { s -> (OpaquePointer?, StoreFileGuard?) in
                s.scheduled = false
                s.lastRun = DispatchTime.now().uptimeNanoseconds
                return (s.connection, s.fileGuard)
            }
            guard let connection, watch?.check() == nil else { return }
            // A busy result is fine: the next nudge comes with the next commit.
            var frames: Int32 = 0
            var copied: Int32 = 0
            let rc = sqlite3_wal_checkpoint_v2(connection, nil, SQLITE_CHECKPOINT_PASSIVE, &frames, &copied)
            // Asked only when the copy has nearly caught up: the writer then copies a few
            // pages, not a backlog that would hold up the batches behind it.
            if rc == SQLITE_OK, frames > Self.restartFrames, frames - copied <= Self.writerBacklogFrames {
                state.withLock { s in
                    if s.writerRequested == nil { s.writerRequested = DispatchTime.now().uptimeNanoseconds }
                }
            }
        }
    }

    deinit {
        state.withLock { s in
            sqlite3_close_v2(s.connection)
            s.connection = nil
        }
    }

    /// How long a request may wait for the writer's maintenance before a commit takes it: 1 s.
    static let writerGrace: UInt64 = 1_000_000_000

    /// Whether the WAL has grown past ``restartFrames`` and the request is at least `age`
    /// nanoseconds old: the writer should then checkpoint between two transactions. Clears the
    /// request when it returns true.
    func takeWriterRequest(olderThan age: UInt64 = 0) -> Bool {
        state.withLock { s in
            guard let asked = s.writerRequested, DispatchTime.now().uptimeNanoseconds &- asked >= age else { return false }
            s.writerRequested = nil
            return true
        }
    }

    /// Checks `watch` before each checkpoint from now on.
    func setGuard(_ watch: StoreFileGuard) {
        state.withLock { $0.fileGuard = watch }
    }

    /// Waits for a running checkpoint and closes the connection; later nudges do nothing.
    func close() {
        queue.sync {
            let connection = state.withLock { s -> OpaquePointer? in
                defer { s.connection = nil }
                return s.connection
            }
            sqlite3_close_v2(connection)
        }
    }
}
