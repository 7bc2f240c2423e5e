import ArgumentParser
import EnvmonConfig
import Foundation
import Monitoring
import Notifier
import Store

/// `envmon alerts silence`: holds the notifications that match, for a while.
struct AlertsSilenceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "silence",
        abstract: "Hold the notifications whose labels match, for a duration or until a time; prints the silence's id.",
        discussion: """
            Matchers use Alertmanager's syntax: station="qinghe-wwtp-outlet", alertname=~"cod-.*", severity!="info". \
            Alerts keep their state and history; what is held is listed by `envmon alerts held`.
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var daemon: DaemonOptions

    @Option(name: .long, parsing: .upToNextOption, help: "Label matchers; all must match (repeat, or give several).")
    var matchers: [String] = []

    @Option(name: .customLong("for"), help: "How long, such as 2h or 30m.")
    var duration: String?

    @Option(name: .long, help: "Until this time (ISO 8601; without an offset, the bureau's: reports.time_zone in the config, else Beijing time).")
    var until: String?

    @Option(name: .long, help: "From this time (default: now; without an offset, as --until).")
    var from: String?

    @Option(name: .long, help: "Who silences.")
    var by: String

    @Option(name: .long, help: "Why.")
    var comment: String = ""

    func run() async throws {
        let now = WallClock.seconds()
        let bureau = try daemon.bureauCalendar()
        func parse(_ text: String, _ option: String) throws -> Int64 {
            do { return try ISO8601Time.parse(text, in: bureau) } catch { throw ValidationError("\(option): \(error)") }
        }
        let start = try from.map { try parse($0, "--from") } ?? now
        let end: Int64
        switch (duration, until) {
        case (let d?, nil):
            guard let s = DurationText.seconds(d), s > 0 else { throw ValidationError("--for must be a duration such as 2h") }
            end = start + Int64(s)
        case (nil, let u?): end = try parse(u, "--until")
        default: throw ValidationError("give either --for or --until")
        }
        let silence: Silence
        do {
            silence = try NotifierService<ContinuousClock>.validatedSilence(matchers: matchers, startsAt: start, endsAt: end, by: by, comment: comment, now: now)
        } catch {
            throw ValidationError("\(error)")
        }
        let id: Int64
        if let address = try daemon.daemon(db: store.db) {
            let answer = try await DaemonClient.request(
                "POST", address, "/api/v1/silences",
                body: [
                    "matchers": matchers, "startsAt": bureau.iso8601(start), "endsAt": bureau.iso8601(end), "createdBy": by, "comment": comment,
                ])
            guard let made = (answer["silence"] as? [String: Any])?["id"] as? Int else { throw CLIError("the daemon's answer has no silence id") }
            id = Int64(made)
        } else {
            id = try await daemon.postgres.withStore(db: store.db, stations: (try? store.loadStations()) ?? StationRegistry([]), command: "alerts silence", writing: true) {
                try await $0.addSilence(silence)
            }
        }
        print(id)
        FileHandle.standardError.write(
            Data("silence \(id): \(matchers.joined(separator: ", ")) from \(bureau.iso8601(start)) until \(bureau.iso8601(end))\n".utf8))
    }
}

/// `envmon alerts unsilence ID`: ends a silence now.
struct AlertsUnsilenceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "unsilence", abstract: "End a silence now; alerts it held that still fire are sent.")

    @OptionGroup var store: StoreOptions
    @OptionGroup var daemon: DaemonOptions

    @Argument(help: "The silence's id.") var id: Int64

    func run() async throws {
        if let address = try daemon.daemon(db: store.db) {
            _ = try await DaemonClient.request("DELETE", address, "/api/v1/silences/\(id)")
        } else {
            let id = self.id
            let done = try await daemon.postgres.withStore(db: store.db, stations: (try? store.loadStations()) ?? StationRegistry([]), command: "alerts unsilence", writing: true) {
                try await $0.expireSilence(id, at: WallClock.seconds())
            }
            guard done else { throw CLIError("no silence \(id) in force (see `envmon alerts silences`)") }
        }
        print("silence \(id) ended")
    }
}

/// `envmon alerts ack EPISODE`: someone is on it.
struct AlertsAckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ack",
        abstract: "Acknowledge an open alert episode (its id from `envmon alerts` or `--episodes`): its repeats are held until it ends.",
        discussion: "The resolved notification still goes out.")

    @OptionGroup var store: StoreOptions
    @OptionGroup var daemon: DaemonOptions

    @Argument(help: "The episode's id.") var episode: Int64

    @Option(name: .long, help: "Who acknowledges.") var by: String

    @Option(name: .long, help: "A comment.") var comment: String = ""

    func run() async throws {
        guard !by.isEmpty else { throw ValidationError("--by must name someone") }
        if let address = try daemon.daemon(db: store.db) {
            _ = try await DaemonClient.request("POST", address, "/api/v1/alerts/episodes/\(episode)/ack", body: ["by": by, "comment": comment])
        } else {
            let (episode, by, comment) = (episode, by, comment)
            let problem = try await daemon.postgres.withStore(db: store.db, stations: (try? store.loadStations()) ?? StationRegistry([]), command: "alerts ack", writing: true) {
                await Self.acknowledge($0, episode: episode, by: by, comment: comment)
            }
            if let problem { throw CLIError(problem) }
        }
        print("episode \(episode) acknowledged by \(by)")
    }

    /// Acknowledges in the store; the problem, if any, for people.
    private static func acknowledge(_ db: any MonitoringStore, episode: Int64, by: String, comment: String) async -> String? {
        do {
            _ = try await db.acknowledge(episode: episode, by: by, comment: comment, at: WallClock.seconds())
            return nil
        } catch {
            return error.message
        }
    }
}
