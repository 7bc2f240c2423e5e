public import Store

/// An active alert as the overview lists it: the instance, how long it has been in its state, and
/// who acknowledged its episode.
public struct OverviewAlert: Sendable {
    /// The alert (firing, pending, no data or suppressed).
    public var instance: AlertInstance
    /// Seconds since it entered its state (`instance.since`), at the overview's time.
    public var age: Int64
    /// Who acknowledged its episode, when someone did.
    public var acknowledgedBy: String?

    /// Creates an entry.
    public init(instance: AlertInstance, age: Int64, acknowledgedBy: String?) {
        self.instance = instance
        self.age = age
        self.acknowledgedBy = acknowledgedBy
    }
}
