public import Store

/// The store on PostgreSQL is the whole seam: its members live in the files of each concern
/// (`PostgresStore+Read`, `+Batch`, `+RollupRows`, `+Alerts`, `+Outbox`, `+AlertControl`,
/// `PostgresCaseRegister`, `+Lifecycle`).
extension PostgresStore: MonitoringStore {}
