/// The statements of the outbox and the alert reads whose cost must not grow with the history
/// kept, in one place with numbered parameters, so that the plan tests (`PostgresPlanTests`)
/// check the very statements the store runs: each reaches its rows through an index (a partial
/// one whose rows are what it returns, for the waiting deliveries and the pending outbox).
package enum PostgresAlertSQL {
    /// Claims up to $3 deliveries to $1 due at $2 for claimant $4 until $5: the waiting ones
    /// through `outbox_delivery_due`, rows another claimant holds locked skipped, a row claimed
    /// and committed meanwhile checked again (its lease excludes it). Returns each with its
    /// attempts before this one, oldest notification first.
    package static let claim = """
        WITH due AS (
            SELECT outbox FROM outbox_delivery
            WHERE receiver = $1 AND state = 'waiting' AND due_at <= $2 AND (lease_until IS NULL OR lease_until <= $2)
            ORDER BY outbox LIMIT $3
            FOR UPDATE SKIP LOCKED
        ), claimed AS (
            UPDATE outbox_delivery d SET claimant = $4, lease_until = $5, attempts = d.attempts + 1
            FROM due WHERE d.outbox = due.outbox AND d.receiver = $1
            RETURNING d.outbox, d.attempts - 1 AS attempts, d.last_error, d.message
        )
        SELECT c.outbox, c.attempts, c.last_error, o.payload, o.created_at, c.message
        FROM claimed c JOIN alert_outbox o ON o.id = c.outbox ORDER BY c.outbox
        """

    /// Notifications not delivered yet, at most $1: the partial index `alert_outbox_pending`.
    package static let pending = "SELECT id, payload, created_at FROM alert_outbox WHERE delivered_at IS NULL ORDER BY id LIMIT $1"

    /// Transitions recorded since $1, newest first, at most $2: a backward range of `alert_transition_recorded`.
    package static let history = """
        SELECT rule, station, parameter, from_state, to_state, at, recorded_at, value, reason
        FROM alert_transition WHERE recorded_at >= $1 ORDER BY recorded_at DESC, id DESC LIMIT $2
        """

    /// Episodes open or ended at or after $1 that started before $2: the open ones and those
    /// ended since $1, both through `alert_episode_ended`.
    package static let episodes = """
        SELECT id, rule, station, parameter, state, started_at, fired_at, ended_at, peak, severity FROM alert_episode
        WHERE (ended_at IS NULL OR ended_at >= $1) AND started_at < $2 ORDER BY started_at, id
        """
}
