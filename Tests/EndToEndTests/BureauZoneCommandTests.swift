import EnvmonTesting
import Foundation
import Testing

extension EndToEnd {
    /// The alert and case commands of a bureau off Beijing time (`reports.time_zone:
    /// Asia/Urumqi`, UTC+6) read times and dates without an offset as its own, and show them so;
    /// without a config they stay on Beijing time.
    @Suite struct BureauZoneCommandTests {
        let dir = TemporaryDirectory("envmon-bureau-zone")

        func envmon(_ arguments: [String]) async throws -> Envmon.Result {
            try await Envmon.run(arguments + ["--db", dir.file("store.sqlite")])
        }

        @Test func silencesAndEpisodeRangesFollowTheConfiguredZone() async throws {
            let config = dir.file("envmon.yaml")
            try "reports:\n  time_zone: Asia/Urumqi\n".write(toFile: config, atomically: true, encoding: .utf8)
            // A store to silence in (no daemon holds it: the command writes it itself).
            try #require(try await envmon(["cases", "import", Envmon.root + "/seeds/cases.yaml", "--by", "test"]).status == 0)

            // 09:00 in Urumqi is 03:00Z; 12:00 Beijing time is 04:00Z, 10:00 in Urumqi.
            let made = try await envmon([
                "alerts", "silence", "--config", config, "--matchers", "station=\"a\"", "--from", "2030-03-01T09:00",
                "--until", "2030-03-01T12:00+08:00", "--by", "test",
            ])
            #expect(made.status == 0, "\(made.stderr)")
            let json = try await envmon(["alerts", "silences", "--config", config, "--all", "--format", "json"])
            let silence = try #require(
                ((try? JSONSerialization.jsonObject(with: Data(json.stdout.utf8))) as? [String: Any])?["silences"] as? [[String: Any]]
            ).first
            #expect(silence?["startsAt"] as? String == "2030-03-01T09:00:00+06:00", "\(json.stdout)")
            #expect(silence?["endsAt"] as? String == "2030-03-01T10:00:00+06:00", "\(json.stdout)")
            // Without the config: the same instants, on Beijing time.
            let beijing = try await envmon(["alerts", "silences", "--all"])
            #expect(beijing.stdout.contains("2030-03-01T11:00:00+08:00 … 2030-03-01T12:00:00+08:00"), "\(beijing.stdout)")

            // A local date is the bureau's whole day.
            let episodes = try await envmon(["alerts", "list", "--config", config, "--episodes", "--from", "2030-03-01", "--to", "2030-03-01"])
            #expect(episodes.stdout.contains("Episodes 2030-03-01T00:00:00+06:00 … 2030-03-02T00:00:00+06:00"), "\(episodes.stdout)")

            // A config that cannot be read is said so, not passed over for Beijing time.
            let missing = try await envmon(["alerts", "silences", "--config", dir.file("nope.yaml")])
            #expect(missing.status != 0)
            #expect(missing.stderr.contains("nope.yaml"), "\(missing.stderr)")
        }
    }
}
