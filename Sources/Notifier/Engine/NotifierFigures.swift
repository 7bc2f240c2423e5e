/// What the notifier has done since it started, per target.
public struct NotifierFigures: Sendable, Hashable {
    /// Per target.
    public struct Target: Sendable, Hashable {
        /// Messages delivered.
        public var messages = 0
        /// Notifications delivered (in those messages).
        public var delivered = 0
        /// Notifications scheduled again after a failed attempt.
        public var retried = 0
        /// Notifications given up.
        public var deadLettered = 0
        /// Notifications held (silenced, acknowledged, in a window, inhibited).
        public var held = 0
    }
    /// Notifications routed.
    public var routed = 0
    /// By target name.
    public var targets: [String: Target] = [:]

    mutating func count(_ target: String, _ field: WritableKeyPath<Target, Int>, _ n: Int) {
        targets[target, default: Target()][keyPath: field] += n
    }
}
