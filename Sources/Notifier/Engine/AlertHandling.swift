public import Store

/// What people do about alerts through the daemon (the HTTP API, the CLI against a running
/// daemon): silence, unsilence, acknowledge. ``NotifierService`` does it, so what it holds
/// changes at once.
public protocol AlertHandling: Sendable {
    /// Creates a silence (``NotifierService/silence(matchers:startsAt:endsAt:by:comment:)``).
    func silence(matchers: [String], startsAt: Int64?, endsAt: Int64, by: String, comment: String) async throws -> Silence
    /// Ends a silence now; false when none with that id was in force.
    func expireSilence(_ id: Int64) async throws -> Bool
    /// Acknowledges an open episode.
    func acknowledge(episode: Int64, by: String, comment: String) async throws -> AlertEpisode
    /// Silences not ended (or all of them).
    func silences(includingEnded: Bool) async throws -> [Silence]
}

extension NotifierService: AlertHandling {
    public func silences(includingEnded: Bool) async throws -> [Silence] {
        try await controlStore.silences(notEndedAt: includingEnded ? nil : nowMillisValue / 1_000)
    }
}
