import EnvmonTesting
import Foundation
import Testing

extension EndToEnd {
    /// Issue 12 end to end: what holds notifications back. A silence made with
    /// `envmon alerts silence` against the daemon's store, and maintenance windows read in their
    /// own time zone. The alerts themselves still fire; only their messages wait. They fail until
    /// the notifier reads `notify:`.
    @Suite struct NotifierHoldTests {
        let dir = TemporaryDirectory()
        typealias S = NotifierScenario

        /// A silence on the paper mill holds its notification while the coking plant's goes out;
        /// lifted, the paper mill's (still firing) follows.
        @Test func aSilenceHoldsAMatchingNotificationAndLetsOthersThrough() async throws {
            let hook = try WebhookReceiver(.ok, in: dir.path)
            let scenario = try S(dir, notify: S.notify(root: "duty", receivers: "- name: duty\n  webhook_configs: [{url: \"\(hook.url())\"}]"))
            let daemon = try await scenario.start()
            let mill = S.paperMill.id
            let made = try await scenario.cli([
                "alerts", "silence", "--matchers", "station=\"\(mill)\"", "--for", "2h", "--by", "e2e", "--comment", "analyser calibration",
            ])
            #expect(made.status == 0, "\(made.stderr)")
            let id = made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(!id.isEmpty && !id.contains(where: \.isWhitespace), "the silence id alone: '\(made.stdout)'")
            let listed = try await scenario.cli(["alerts", "silences"])
            #expect(listed.status == 0, "\(listed.stderr)")
            #expect(listed.stdout.contains(id) && listed.stdout.contains(mill) && listed.stdout.contains("e2e"), "\(listed.stdout)")

            #expect(try await scenario.exceed(daemon, S.paperMill) == 1)
            #expect(try await scenario.exceed(daemon, S.coking) == 1)
            #expect(await eventually(within: 10) { hook.requests().contains { $0.delivered && $0.has(station: S.coking.id, "firing") } }, "\(daemon.log)")
            try await Task.sleep(for: .seconds(2))  // group_interval is 1 s: the mill's would be here by now
            #expect(!hook.requests().contains { $0.alerts.contains { $0.labels["station"] == mill } }, "\(hook.requests().map(\.body))")
            let states = try await scenario.activeStates()
            #expect(states[mill] == "firing")  // silenced, not stopped

            let lifted = try await scenario.cli(["alerts", "unsilence", id])
            #expect(lifted.status == 0, "\(lifted.stderr)")
            #expect(await eventually(within: 10) { hook.requests().contains { $0.delivered && $0.has(station: mill, "firing") } }, "\(daemon.log)")
            #expect(await daemon.stop() == 0)
        }

        /// Three windows in Asia/Shanghai: all day every day (the paper mill: held); today, an hour
        /// either side of the local time now (the WWTP: held, which it would not be were the
        /// times read in UTC); and a day that is not today (the coking plant: not held).
        @Test func maintenanceWindowsHoldByLocalTime() async throws {
            let zone = TimeZone(identifier: "Asia/Shanghai")!
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            let names = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]
            let now = Date()
            let today = names[calendar.component(.weekday, from: now) - 1]
            let tomorrow = names[(calendar.component(.weekday, from: now) - 1 + 1) % 7]
            let otherDay = names[(calendar.component(.weekday, from: now) - 1 + 3) % 7]
            let minute = calendar.component(.hour, from: now) * 60 + calendar.component(.minute, from: now)
            func hhmm(_ m: Int) -> String { String(format: "%02d:%02d", m / 60, m % 60) }
            // An hour either side of now; the whole day when that would cross midnight, today's and
            // tomorrow's (a run that starts just before local midnight is judged after it).
            let crosses = !(minute >= 60 && minute < 23 * 60)
            let around = crosses ? ("00:00", "24:00") : (hhmm(minute - 60), hhmm(minute + 60))
            let wwtpDays = crosses ? "'\(today)', '\(tomorrow)'" : "'\(today)'"

            let hook = try WebhookReceiver(.ok, in: dir.path)
            let windows = """
                maintenance_windows:
                  - name: mill-always
                    matchers: ['station="\(S.paperMill.id)"']
                    weekdays: ['monday:sunday']
                    times: [{start_time: "00:00", end_time: "24:00"}]
                    location: Asia/Shanghai
                  - name: wwtp-this-hour
                    matchers: ['station="\(S.wwtp.id)"']
                    weekdays: [\(wwtpDays)]
                    times: [{start_time: "\(around.0)", end_time: "\(around.1)"}]
                    location: Asia/Shanghai
                  - name: coking-another-day
                    matchers: ['station="\(S.coking.id)"']
                    weekdays: ['\(otherDay)']
                    times: [{start_time: "00:00", end_time: "24:00"}]
                    location: Asia/Shanghai

                """
            let scenario = try S(
                dir, notify: S.notify(root: "duty", receivers: "- name: duty\n  webhook_configs: [{url: \"\(hook.url())\"}]", extra: windows))
            let daemon = try await scenario.start()
            for s in [S.paperMill, S.wwtp, S.coking] { #expect(try await scenario.exceed(daemon, s) == 1) }
            #expect(await eventually(within: 10) { hook.requests().contains { $0.delivered && $0.has(station: S.coking.id, "firing") } }, "\(daemon.log)")
            try await Task.sleep(for: .seconds(2))
            let stations = Set(hook.requests().flatMap { $0.alerts.compactMap { $0.labels["station"] } })
            #expect(stations == [S.coking.id], "\(scenario.configText)")
            let states = try await scenario.activeStates()
            #expect(states[S.paperMill.id] == "firing" && states[S.wwtp.id] == "firing", "\(states)")
            #expect(await daemon.stop() == 0)
        }
    }
}
