/// The SQL of the reads of alert history, episodes, silences, acknowledgements and the outbox
/// that must not grow with the history kept: in one place, so that the plan tests
/// (`ReadPlanTests`) check the statements the reads run. Each reaches its rows through an index;
/// a scan is only of a partial index whose rows are what the read returns (the pending outbox).
enum AlertReadSQL {
    /// Transitions recorded since `?`, newest first: a range of `alert_transition_recorded`,
    /// in its order (recording times only grow with the row id).
    static let history = """
        SELECT rule, station, parameter, from_state, to_state, at, recorded_at, value, reason
        FROM alert_transition WHERE recorded_at >= ? ORDER BY recorded_at DESC, id DESC LIMIT ?
        """

    /// Episodes open or ended at or after `?1` that started before `?2`: open ones and those
    /// ended since `?1`, through `alert_episode_ended` (`+` keeps the planner off
    /// `alert_episode_started`, which would read every episode that started before `?2`).
    static let episodes = """
        SELECT id, rule, station, parameter, state, started_at, fired_at, ended_at, peak, severity
        FROM alert_episode WHERE (ended_at IS NULL OR ended_at >= ?1) AND +started_at < ?2
        ORDER BY +started_at, id
        """

    /// Acknowledgements of open episodes: the open episodes through `alert_episode_ended`, each
    /// with its acknowledgement by key (not every acknowledgement ever made).
    static let openAcknowledgements = """
        SELECT e.id, e.rule, e.station, e.parameter, e.started_at, a.acked_by, a.comment, a.acked_at
        FROM alert_episode e JOIN alert_ack a ON a.episode = e.id WHERE e.ended_at IS NULL ORDER BY e.id
        """

    /// Silences not ended at `?`: a range of `silence_ends` (ended ones are kept for the record).
    static let silencesNotEnded = """
        SELECT id, matchers, starts_at, ends_at, created_by, comment, created_at FROM silence
        WHERE ends_at > ? ORDER BY +id
        """

    /// Every silence.
    static let allSilences = "SELECT id, matchers, starts_at, ends_at, created_by, comment, created_at FROM silence ORDER BY id"

    /// Notifications not delivered yet: the partial index `alert_outbox_pending`.
    static let pending = "SELECT id, payload, created_at FROM alert_outbox WHERE delivered_at IS NULL ORDER BY id LIMIT ?"

    /// How many notifications are not delivered yet (the partial index, without the payloads).
    static let pendingCount = "SELECT count(*) FROM alert_outbox WHERE delivered_at IS NULL"

    /// Notifications neither routed nor delivered: the partial index `alert_outbox_unrouted`.
    static let unrouted = "SELECT id, payload, created_at FROM alert_outbox WHERE routed_at IS NULL AND delivered_at IS NULL ORDER BY id LIMIT ?"

    /// Held or dead deliveries finished since `?2`, newest first: a range of the partial index
    /// `outbox_delivery_finished`, which the planner takes only when the query repeats its
    /// condition (a bound `state = ?` alone does not prove it).
    static let undelivered = """
        SELECT o.id, o.payload, o.created_at, d.receiver, d.last_error, d.finished_at, d.attempts
        FROM outbox_delivery d JOIN alert_outbox o ON o.id = d.outbox
        WHERE d.state IN ('held', 'dead') AND d.state = ? AND d.finished_at >= ? ORDER BY d.finished_at DESC, d.outbox DESC LIMIT ?
        """

    /// Outbox rows delivered before `?`, for the purge: a range of `alert_outbox_delivered`.
    static let delivered = "SELECT id FROM alert_outbox WHERE delivered_at < ?"

    /// Every statement above, by name, for the plan checks.
    static let all: [(name: String, sql: String)] = [
        ("history", history), ("episodes", episodes), ("openAcknowledgements", openAcknowledgements),
        ("silencesNotEnded", silencesNotEnded), ("pending", pending), ("pendingCount", pendingCount), ("unrouted", unrouted),
        ("undelivered", undelivered), ("delivered", delivered),
    ]
}
