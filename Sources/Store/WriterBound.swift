import GRDB

/// The writer's state, reachable only from inside a closure on the store's writer connection,
/// and checked there on every access, as NIO's `NIOLoopBound` checks its event loop.
///
/// GRDB runs the closures of `pool.write` one at a time on its single writer connection; that
/// serialisation is what makes ``WriterState`` safe without a lock. Before this check, the gauge
/// update after a fold read the state outside the closure (a data race ThreadSanitizer found):
/// now such a read stops the process at the line that makes it instead of racing silently.
struct WriterBound: Sendable {
    // Safe: handed out only to code that proves, with the writer's `Database`, that it runs in
    // one of the writer's serialised closures.
    private nonisolated(unsafe) let state: WriterState
    private let writer: ObjectIdentifier

    /// Binds `state` to the pool's writer connection, known by the identity of its `Database`
    /// (GRDB keeps one for the writer's whole life).
    init(_ state: WriterState, writer: ObjectIdentifier) {
        self.state = state
        self.writer = writer
    }

    /// The state, for code running on the writer connection `db`.
    @inline(__always)
    func state(in db: Database) -> WriterState {
        precondition(ObjectIdentifier(db) == writer, "the writer's state touched outside the store's writer connection")
        return state
    }
}
