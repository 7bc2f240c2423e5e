/// What people do about alerts without changing them: silences and acknowledgements. Both hold
/// notifications only; the alerts keep their state and history.
public protocol AlertControl: Sendable {
    /// Stores a new silence; returns its id.
    func addSilence(_ silence: Silence) async throws(StoreError) -> Int64

    /// Ends a silence at `at`; false when there is none with that id or it had ended.
    func expireSilence(_ id: Int64, at: Int64) async throws(StoreError) -> Bool

    /// Silences that have not ended at `now` (pending ones included), or every silence when `now` is nil.
    func silences(notEndedAt now: Int64?) async throws(StoreError) -> [Silence]

    /// Acknowledges an open episode (``AlertEpisode/id``); returns it. Throws `notFound` when
    /// there is no such episode, `badValue` when it has ended.
    func acknowledge(episode: Int64, by: String, comment: String, at: Int64) async throws(StoreError) -> AlertEpisode

    /// Acknowledgements of episodes that are still open.
    func openAcknowledgements() async throws(StoreError) -> [AlertAcknowledgement]
}

/// A silence: notifications whose labels match every matcher, between its start and end, are held.
public struct Silence: Sendable, Hashable, Codable {
    /// Its id (0 before it is stored).
    public var id: Int64
    /// Matchers in Alertmanager's syntax, as given: `station="qinghe-wwtp-outlet"`.
    public var matchers: [String]
    /// From (UTC seconds).
    public var startsAt: Int64
    /// Until (UTC seconds), exclusive; an expired silence ends when it was expired.
    public var endsAt: Int64
    /// Who.
    public var createdBy: String
    /// Why.
    public var comment: String
    /// When it was made.
    public var createdAt: Int64

    /// Creates a silence.
    public init(id: Int64 = 0, matchers: [String], startsAt: Int64, endsAt: Int64, createdBy: String, comment: String, createdAt: Int64) {
        self.id = id
        self.matchers = matchers
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.createdBy = createdBy
        self.comment = comment
        self.createdAt = createdAt
    }

    /// Whether it is in force at `t`.
    public func isActive(at t: Int64) -> Bool { startsAt <= t && t < endsAt }
}

/// Someone has seen an episode and is on it: its further firing notifications are held until it ends.
public struct AlertAcknowledgement: Sendable, Hashable, Codable {
    /// The episode.
    public var episode: Int64
    /// Which instance.
    public var key: AlertKey
    /// When the episode started (a notification's `startsAt`).
    public var startedAt: Int64
    /// Who.
    public var by: String
    /// Why, or what is being done.
    public var comment: String
    /// When.
    public var at: Int64

    /// Creates an acknowledgement record.
    public init(episode: Int64, key: AlertKey, startedAt: Int64, by: String, comment: String, at: Int64) {
        self.episode = episode
        self.key = key
        self.startedAt = startedAt
        self.by = by
        self.comment = comment
        self.at = at
    }
}

extension AlertEpisode {
    /// The episode an acknowledgement of episode `id` found, or what its caller is told: that
    /// there is no such episode, or that it has ended. One wording for both stores.
    package static func acknowledgeable(_ found: AlertEpisode?, id: Int64) throws(StoreError) -> AlertEpisode {
        guard let found else { throw StoreError(.notFound, "no alert episode \(id) (see `envmon alerts`)") }
        if let ended = found.endedAt {
            throw StoreError(.conflict, "alert episode \(id) (\(found.key)) has already ended (at \(ended)): nothing to acknowledge")
        }
        return found
    }
}
