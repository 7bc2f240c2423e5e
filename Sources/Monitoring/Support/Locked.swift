#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A value behind a lock: envmon's one mutual-exclusion primitive.
///
/// Why not the standard library's `Synchronization.Mutex`: on Linux it locks with raw futex
/// calls that ThreadSanitizer cannot see, so every access it protects is reported as a race
/// (the whole test suite under `--sanitize=thread` gave hundreds of such reports, all inside
/// `withLock`, and a ten-line program with two threads and one Mutex reproduces them). A pthread
/// mutex is what ThreadSanitizer understands, as NIO's `NIOLock` uses, so a report from a
/// sanitized run now means a real race. Uncontended, both are one atomic operation.
///
/// ```swift
/// let figures = Locked(Figures())
/// figures.withLock { $0.frames += 1 }
/// ```
public final class Locked<Value: ~Copyable>: @unchecked Sendable {
    // Invariant: `value` is touched only between lock and unlock of `mutex`. Internal (not
    // private) only so that `withLock` can be inlined into the callers' hot paths.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    @usableFromInline var value: Value

    /// Puts `value` behind a new lock.
    public init(_ value: consuming Value) {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        let rc = pthread_mutex_init(mutex, nil)
        precondition(rc == 0, "pthread_mutex_init failed: \(rc)")
        self.value = value
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` with the value, holding the lock.
    @inlinable
    public func withLock<Result: ~Copyable, E: Error>(_ body: (inout Value) throws(E) -> Result) throws(E) -> Result {
        lock()
        defer { unlock() }
        return try body(&value)
    }

    @usableFromInline func lock() {
        let rc = pthread_mutex_lock(mutex)
        precondition(rc == 0, "pthread_mutex_lock failed: \(rc)")
    }

    @usableFromInline func unlock() {
        let rc = pthread_mutex_unlock(mutex)
        precondition(rc == 0, "pthread_mutex_unlock failed: \(rc)")
    }
}
