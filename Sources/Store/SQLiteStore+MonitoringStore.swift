/// The embedded store is the whole seam: its members live in the files of each concern
/// (`SQLiteStore+Batch`, `+RollupRows`, `Alerts/`, `Cases/`).
extension SQLiteStore: MonitoringStore {}
