import ArgumentParser
import EnvmonConfig
import Foundation
import Monitoring
import Store

/// `envmon alerts silences`: the silences in force or to come, and what each has held.
struct AlertsSilencesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "silences", abstract: "List the silences in force or to come (--all: ended ones too).")

    @OptionGroup var store: StoreOptions
    @OptionGroup var daemon: DaemonOptions  // --store-url, --config (the bureau's zone); --http is accepted like the other alert commands, unused

    @Flag(name: .long, help: "Ended silences too.") var all = false

    @Option(name: .long, help: "text or json.") var format: String = "text"

    func run() async throws {
        let now = WallClock.seconds()
        let all = self.all
        let (list, held) = try await daemon.postgres.withStore(db: store.db, stations: StationRegistry([]), command: "alerts silences", writing: false) { db in
            (try await db.silences(notEndedAt: all ? nil : now), try await db.undelivered(.held, since: 0, limit: 100_000))
        }
        let bureau = try daemon.bureauCalendar()
        func heldBy(_ s: Silence) -> Int { held.filter { $0.reason?.hasPrefix("silenced by silence \(s.id) ") == true }.count }
        func state(_ s: Silence) -> String { s.isActive(at: now) ? "active" : s.startsAt > now ? "pending" : "expired" }
        if format == "json" {
            let rows: [[String: Any]] = list.map {
                [
                    "id": $0.id, "matchers": $0.matchers, "startsAt": bureau.iso8601($0.startsAt), "endsAt": bureau.iso8601($0.endsAt),
                    "createdBy": $0.createdBy, "comment": $0.comment, "status": state($0), "held": heldBy($0),
                ]
            }
            print(String(decoding: try JSONSerialization.data(withJSONObject: ["silences": rows], options: [.sortedKeys]), as: UTF8.self))
            return
        }
        if list.isEmpty { print(all ? "No silences." : "No silences in force.") }
        for s in list {
            print("  \(s.id)  \(state(s))  \(s.matchers.joined(separator: ", "))  \(bureau.iso8601(s.startsAt)) … \(bureau.iso8601(s.endsAt))  by \(s.createdBy)\(s.comment.isEmpty ? "" : ": \(s.comment)")  held \(heldBy(s))")
        }
    }
}

/// `envmon alerts held`: notifications kept back (silenced, acknowledged, in a window, inhibited) or given up.
struct AlertsHeldCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "held", abstract: "List the notifications held back (or, with --dead, given up) and why.")

    @OptionGroup var store: StoreOptions
    @OptionGroup var daemon: DaemonOptions  // --store-url, --config (the bureau's zone); --http is accepted like the other alert commands, unused

    @Option(name: .long, help: "How far back (e.g. 24h, 7d).") var since: String = "24h"

    @Flag(name: .long, help: "The dead-lettered ones instead.") var dead = false

    @Option(name: .long, help: "At most this many.") var limit: Int = 100

    func run() async throws {
        guard let back = DurationText.seconds(since) else { throw ValidationError("--since must be a duration such as 24h") }
        let (dead, limit) = (dead, limit)
        let list = try await daemon.postgres.withStore(db: store.db, stations: StationRegistry([]), command: "alerts held", writing: false) { db in
            try await db.undelivered(dead ? .dead : .held, since: WallClock.seconds() - Int64(back), limit: limit)
        }
        let bureau = try daemon.bureauCalendar()
        if list.isEmpty { print(dead ? "No notifications given up." : "No notifications held.") }
        for d in list {
            let n = d.entry.notification
            let what = [n.labels["alertname"], n.labels["station"], n.labels["parameter"]].compactMap { $0 }.joined(separator: " ")
            print("  \(bureau.iso8601(d.at))  \(d.target)  \(n.status.rawValue)  \(what)  — \(d.reason ?? "")")
        }
    }
}
