import ArgumentParser
import Foundation
import Monitoring
import Reports
import Store

/// `envmon cases note ID --text …`: a dated progress note, which may move the status.
struct CasesNoteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "note", abstract: "Add a progress note with evidence; --status in-progress or done moves the case.")

    @OptionGroup var options: CasesOptions
    @Argument(help: "The case's id.") var id: String
    @Option(name: .long, help: "What was done.") var text: String
    @Option(name: .long, help: "Evidence: a document, photo or link (repeatable).") var evidence: [String] = []
    @Option(name: .long, help: "in-progress or done.") var status: String?
    @Option(name: .long, help: "The local date the note is for (YYYY-MM-DD; default: now).") var date: String?
    @Option(name: .long, help: "Who writes (default: the login name).") var by: String?

    func run() async throws {
        let l = try options.language()
        var moved: CaseStatus?
        if let status {
            guard let s = CaseStatus(parsing: status), s == .inProgress || s == .done else {
                throw ValidationError("--status must be in-progress or done (close a case with `envmon cases close`)")
            }
            moved = s
        }
        try await options.withDesk { [moved] desk in
            let now = WallClock.seconds()
            let at = try options.date(date, "--date").map(desk.dates.start(of:)) ?? now
            let change = try await casesCall {
                try await desk.note(id, text: text, evidence: evidence, status: moved, by: caseAuthor(by), at: at, now: now)
            }
            print(CasesNoteCommand.said(change, l))
        }
    }

    /// One line: the case, its event and its status.
    static func said(_ change: CaseChange, _ l: ReportLanguage) -> String {
        let e = change.events.last!
        return "\(change.record.id) #\(e.sequence) \(CaseText.event(e.kind, l)): \(CaseText.status(change.record.status, l))"
    }
}

/// `envmon cases close ID --note …`: verified and closed (销号).
struct CasesCloseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "close", abstract: "Close a done case (销号: verified), with the verification note.")

    @OptionGroup var options: CasesOptions
    @Argument(help: "The case's id.") var id: String
    @Option(name: .long, help: "How it was verified.") var note: String
    @Option(name: .long, help: "Evidence (repeatable).") var evidence: [String] = []
    @Option(name: .long, help: "The local date of the verification (default: now).") var date: String?
    @Option(name: .long, help: "Who closes (default: the login name).") var by: String?

    func run() async throws {
        let l = try options.language()
        try await options.withDesk { desk in
            let now = WallClock.seconds()
            let at = try options.date(date, "--date").map(desk.dates.start(of:)) ?? now
            let change = try await casesCall { try await desk.close(id, note: note, evidence: evidence, by: caseAuthor(by), at: at, now: now) }
            print(CasesNoteCommand.said(change, l))
        }
    }
}

/// `envmon cases reopen ID --note …`: back to in progress.
struct CasesReopenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reopen", abstract: "Reopen a done or closed case, saying why.")

    @OptionGroup var options: CasesOptions
    @Argument(help: "The case's id.") var id: String
    @Option(name: .long, help: "Why.") var note: String
    @Option(name: .long, help: "Who reopens (default: the login name).") var by: String?

    func run() async throws {
        let l = try options.language()
        try await options.withDesk { desk in
            let now = WallClock.seconds()
            let change = try await casesCall { try await desk.reopen(id, reason: note, by: caseAuthor(by), at: now) }
            print(CasesNoteCommand.said(change, l))
        }
    }
}

/// `envmon cases open --from-alert EPISODE`: a case from an alert episode.
struct CasesOpenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open",
        abstract: "Open a case from an alert episode (its id from `envmon alerts list --episodes`): station, rule, parameter and times from the episode.")

    @OptionGroup var options: CasesOptions
    @Option(name: .customLong("from-alert"), help: "The alert episode's id.") var episode: Int64
    @Option(name: .long, help: "The case's id (default: AL-<episode>).") var id: String?
    @Option(name: .long, help: "The title (default: station, parameter and rule).") var title: String?
    @Option(name: .long, help: "The responsible unit (责任单位).") var unit: String = ""
    @Option(name: .long, help: "The responsible leader (包案领导).") var leader: String = ""
    @Option(name: .long, help: "The deadline, a local date YYYY-MM-DD.") var deadline: String?
    @Option(name: .long, help: "A folder of station YAML files, for the station's name in the title.") var sensors: [String] = []
    @Option(name: .long, help: "Who opens (default: the login name).") var by: String?

    func run() async throws {
        let l = try options.language()
        let deadline = try options.date(deadline, "--deadline")
        try await options.withDesk { desk in
            var name: String?
            if !sensors.isEmpty, let episode = try? await desk.register.alertEpisode(episode) {
                let stations = try? StoreOptions.parse(["--db", options.db] + sensors.flatMap { ["--sensors", $0] }).loadStations(forStation: episode.key.station)
                name = stations?[episode.key.station]?.name
            }
            let change = try await casesCall {
                try await desk.open(
                    fromAlert: episode, id: id, title: title, unit: unit, leader: leader, deadline: deadline, stationName: name, language: l,
                    by: caseAuthor(by), now: WallClock.seconds())
            }
            print(change.record.id)
            printError("\(change.record.id): \(change.record.title) — \(change.events.last?.text ?? "")")
        }
    }
}
