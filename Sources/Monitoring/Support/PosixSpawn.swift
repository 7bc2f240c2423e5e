#if canImport(Glibc)
    public import Glibc
#elseif canImport(Darwin)
    public import Darwin
#endif

/// `posix_spawn` for a child that starts clean, the one way envmon starts processes (the
/// notifier's `exec_configs`, the tests' children).
///
/// The child has no signal blocked and every signal at its default: started from a Swift
/// concurrency thread, it would otherwise inherit that thread's blocked-signal mask (SIGTERM
/// included) and never end on a plain `kill`. Not Foundation's `Process`, whose `run()` on this
/// toolchain can fault while it lists `/proc/self/fd` (see `EnvmonTesting`'s `Spawn`).
public enum PosixSpawn {
    /// Starts `path` with `arguments` (argv[1...]) and `environment`, its descriptors arranged
    /// by `actions`; in a process group of its own when `newProcessGroup` (so that ending the
    /// group ends its children too).
    /// - Returns: the child's pid, or the error number `posix_spawn` returned.
    public static func spawn(
        _ path: String, arguments: [String], environment: [String: String],
        actions: UnsafePointer<posix_spawn_file_actions_t>, newProcessGroup: Bool = false
    ) -> Result<pid_t, Errno> {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        var flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
        if newProcessGroup {
            posix_spawnattr_setpgroup(&attributes, 0)
            flags |= POSIX_SPAWN_SETPGROUP
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))

        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }
        var pid = pid_t()
        let rc = posix_spawn(&pid, path, actions, &attributes, argv, envp)
        return rc == 0 ? .success(pid) : .failure(Errno(rc))
    }

    /// An error number, with its text.
    public struct Errno: Error, Sendable, CustomStringConvertible {
        public let code: Int32
        public init(_ code: Int32) { self.code = code }
        public var description: String { String(cString: strerror(code)) }
    }
}
