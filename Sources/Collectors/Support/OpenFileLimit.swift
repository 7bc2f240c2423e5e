import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's limit on open files (`RLIMIT_NOFILE`): the soft limit in force and the hard
/// limit it may be raised to. Every connection, SQLite file and log takes one.
public struct OpenFileLimit: Sendable, Hashable, CustomStringConvertible {
    /// The limit in force.
    public var soft: Int
    /// The most the soft limit may be raised to without privileges; nil when unlimited.
    public var hard: Int?

    /// Creates a limit.
    public init(soft: Int, hard: Int?) {
        self.soft = soft
        self.hard = hard
    }

    public var description: String { "\(soft) (hard limit \(hard.map(String.init) ?? "unlimited"))" }

    /// The limit now, or nil when it cannot be read.
    public static func current() -> OpenFileLimit? {
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0 else { return nil }
        return OpenFileLimit(soft: count(limit.rlim_cur) ?? Int(Int32.max), hard: count(limit.rlim_max))
    }

    /// Raises the soft limit to the hard one (a daemon serving thousands of connections needs
    /// them, and distributions start processes at a soft 1,024 whatever the hard limit).
    ///
    /// - Returns: the limit before and the limit in force after; equal when nothing changed
    ///   (already at the hard limit, or the system refused). Nil when the limit cannot be read.
    public static func raiseSoftLimit() -> (before: OpenFileLimit, after: OpenFileLimit)? {
        guard let before = current() else { return nil }
        // An unlimited hard limit cannot be the soft one: Linux caps descriptors per process at
        // fs.nr_open (1,048,576 by default) and refuses more; macOS at OPEN_MAX.
        let target = min(before.hard ?? Int.max, ceiling)
        guard target > before.soft else { return (before, before) }
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0 else { return (before, before) }
        limit.rlim_cur = rlim_t(target)
        guard setrlimit(resource, &limit) == 0 else { return (before, before) }
        return (before, current() ?? before)
    }

    private static func count(_ value: rlim_t) -> Int? {
        // RLIM_INFINITY is ~0 on Linux and Int64.max on Darwin (Swift cannot import the macro).
        value >= rlim_t(Int.max) ? nil : Int(value)
    }

    /// The most descriptors the kernel lets a process have.
    private static var ceiling: Int {
        #if os(Linux)
        if let text = try? String(contentsOfFile: "/proc/sys/fs/nr_open", encoding: .utf8),
            let n = Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
        {
            return n
        }
        return 1_048_576
        #else
        return Int(OPEN_MAX)
        #endif
    }

    #if os(Linux)
    private static let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    #else
    private static let resource = RLIMIT_NOFILE
    #endif
}
