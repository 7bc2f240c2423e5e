import EnvmonTesting
import Foundation
import Monitoring
import Store
import Testing

/// Silences and acknowledgements, on each store.
@Suite struct AlertControlSuite {
    typealias F = AlertFixtures
    static let t0 = AlertFixtures.t0

    @Test(arguments: Backend.stores)
    func silencesAreStoredListedAndExpired(_ backend: Backend) async throws {
        let opened = try await backend.makeLocation().open(F.stations)
        let s = opened.store
        let silence = Silence(
            matchers: ["station=\"outlet\"", "alertname=~\"cod-.*\""], startsAt: Self.t0, endsAt: Self.t0 + 7_200, createdBy: "li", comment: "校准",
            createdAt: Self.t0 - 5)
        let id = try await s.addSilence(silence)
        let later = try await s.addSilence(
            Silence(
                matchers: ["alertname=~\"cod-.*\""], startsAt: Self.t0 + 3_600, endsAt: Self.t0 + 7_200, createdBy: "wang", comment: "",
                createdAt: Self.t0))
        #expect(id > 0 && later > id)
        var stored = silence
        stored.id = id
        #expect(try await s.silences(notEndedAt: Self.t0).first == stored)
        #expect(try await s.silences(notEndedAt: Self.t0).map(\.id) == [id, later])
        #expect(try await s.expireSilence(id, at: Self.t0 + 60))
        #expect(try await s.expireSilence(id, at: Self.t0 + 61) == false)
        #expect(try await s.expireSilence(999, at: Self.t0 + 61) == false)
        #expect(try await s.silences(notEndedAt: Self.t0 + 60).map(\.id) == [later])
        #expect(try await s.silences(notEndedAt: nil).first { $0.id == id }?.endsAt == Self.t0 + 60)
        // A pending silence expired before it started ends at its start.
        #expect(try await s.expireSilence(later, at: Self.t0 + 100))
        #expect(try await s.silences(notEndedAt: nil).map(\.endsAt) == [Self.t0 + 60, Self.t0 + 3_600])
        #expect(try await s.silences(notEndedAt: Self.t0 + 3_600).isEmpty)
        await opened.close()
    }

    @Test(arguments: Backend.stores)
    func anOpenEpisodeIsAcknowledgedAnEndedOneIsNot(_ backend: Backend) async throws {
        let opened = try await backend.makeLocation().open(F.stations)
        let s = opened.store
        try await s.record([F.transition(from: .pending, to: .firing, at: Self.t0, sequence: 1)], updates: [], recordedAt: Self.t0)
        let episode = try #require(try await s.alertEpisodes(overlapping: Int64.min..<Int64.max).first)
        let acked = try await s.acknowledge(episode: episode.id, by: "wang", comment: "on site", at: Self.t0 + 10)
        #expect(acked == episode)
        // Acknowledged again: the newer one stands.
        _ = try await s.acknowledge(episode: episode.id, by: "li", comment: "pump replaced", at: Self.t0 + 20)
        let open = try await s.openAcknowledgements()
        #expect(
            open == [AlertAcknowledgement(episode: episode.id, key: F.cod, startedAt: Self.t0, by: "li", comment: "pump replaced", at: Self.t0 + 20)])
        do {
            _ = try await s.acknowledge(episode: 4242, by: "x", comment: "", at: Self.t0)
            Issue.record("an episode that does not exist was acknowledged")
        } catch {
            #expect(error.code == .notFound)
        }
        try await s.record([F.transition(from: .firing, to: .resolved, at: Self.t0 + 100, sequence: 2)], updates: [], recordedAt: Self.t0 + 100)
        #expect(try await s.openAcknowledgements().isEmpty)
        do {
            _ = try await s.acknowledge(episode: episode.id, by: "x", comment: "", at: Self.t0 + 200)
            Issue.record("an ended episode was acknowledged")
        } catch {
            #expect(error.code == .conflict)
        }
        #expect(try await s.cases.alertEpisode(episode.id)?.endedAt == Self.t0 + 100)
        #expect(try await s.cases.alertEpisode(4242) == nil)
        await opened.close()
    }
}
