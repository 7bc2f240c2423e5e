import EnvmonTesting
import Foundation
import Testing

extension EndToEnd {
    /// Issue 12 end to end, the integrations that speak someone else's protocol: a real
    /// Alertmanager (its API v2) and SMTP (an aiosmtpd sink), in Chinese and in English.
    /// They fail until the notifier reads `notify:`.
    @Suite struct NotifierIntegrationsTests {
        let dir = TemporaryDirectory()
        typealias S = NotifierScenario

        /// Our alert as a real Alertmanager lists it (`GET /api/v2/alerts`), and gone from the
        /// list once resolved.
        @Test func aRealAlertmanagerListsTheAlertUntilItResolves() async throws {
            let am = try await Alertmanager(in: dir.path)
            let scenario = try S(
                dir, notify: S.notify(root: "am", receivers: "- name: am\n  alertmanager_configs: [{url: \"\(am.url)\", resend_interval: 5s}]"))
            let daemon = try await scenario.start()
            let mill = S.paperMill.id
            #expect(try await scenario.exceed(daemon, S.paperMill) == 1)
            var ours: AlertmanagerAlert?
            for _ in 0..<100 where ours == nil {
                ours = try await am.alerts().first { $0.labels["station"] == mill }
                if ours == nil { try await Task.sleep(for: .milliseconds(100)) }
            }
            let alert = try #require(ours, "not in Alertmanager after 10 s\n\(daemon.log)\n\(am.log)")
            #expect(alert.labels["alertname"] == S.rule)
            #expect(alert.labels["parameter"] == "COD")
            #expect(alert.labels["severity"] == "critical")
            #expect(alert.state == "active")
            #expect(alert.annotations["summary"] == "COD reading above 100 mg/L")

            #expect(try await scenario.recover(daemon, S.paperMill) == 1)
            var still: [AlertmanagerAlert] = [alert]
            for _ in 0..<100 where !still.isEmpty {
                try await Task.sleep(for: .milliseconds(100))
                still = try await am.alerts().filter { $0.labels["station"] == mill }
            }
            #expect(still.isEmpty, "still listed 10 s after the resolve: \(still.map(\.endsAt))\n\(daemon.log)")
            #expect(await daemon.stop() == 0)
        }

        /// One exceedance, two mail receivers: the zh-CN one gets a Chinese subject naming the
        /// station as sensors/ names it, the en one an English one; then each gets the resolved mail.
        @Test func theMailReachesAChineseAndAnEnglishReceiver() async throws {
            let sink = try SMTPSink(in: dir.path)
            let scenario = try S(
                dir,
                notify: S.notify(
                    root: "mail-zh",
                    routes: """
                        - matchers: ['alertname="\(S.rule)"']
                          receiver: mail-zh
                          continue: true
                        - matchers: ['alertname="\(S.rule)"']
                          receiver: mail-en
                        """,
                    receivers: """
                        - name: mail-zh
                          email_configs: [{to: "zh@example.org", from: "envmon@example.org", smarthost: "\(sink.smarthost)", language: zh-CN}]
                        - name: mail-en
                          email_configs: [{to: "en@example.org", from: "envmon@example.org", smarthost: "\(sink.smarthost)", language: en}]
                        """))
            let daemon = try await scenario.start()
            let mill = S.paperMill
            #expect(try await scenario.exceed(daemon, mill) == 1)
            #expect(await eventually(within: 10) { sink.messages().count >= 2 }, "\(sink.messages().map(\.subject))\n\(daemon.log)")
            func mail(to address: String) -> [SentMail] { sink.messages().filter { $0.rcptTos == [address] } }
            let zh = try #require(mail(to: "zh@example.org").first)
            let en = try #require(mail(to: "en@example.org").first)
            #expect(zh.mailFrom == "envmon@example.org")
            #expect(zh.subject.contains(mill.chineseName), "subject: \(zh.subject)")
            #expect(["告警", "报警", "超标"].contains { zh.subject.contains($0) }, "subject: \(zh.subject)")
            #expect(zh.body.contains("COD") && zh.body.contains("150"), "body: \(zh.body)")
            #expect(!zh.date.isEmpty, "no Date header")
            #expect(en.subject.lowercased().contains("firing") || en.subject.lowercased().contains("alert"), "subject: \(en.subject)")
            #expect(en.subject.contains(mill.englishName) || en.subject.contains(mill.id), "subject: \(en.subject)")
            #expect(en.body.contains("COD") && en.body.contains("150"), "body: \(en.body)")
            #expect(!en.subject.contains("告警"))

            #expect(try await scenario.recover(daemon, mill) == 1)
            #expect(await eventually(within: 10) { sink.messages().count >= 4 }, "\(sink.messages().map(\.subject))\n\(daemon.log)")
            let zhResolved = try #require(mail(to: "zh@example.org").dropFirst().first)
            let enResolved = try #require(mail(to: "en@example.org").dropFirst().first)
            #expect(["恢复", "解除", "已解决"].contains { zhResolved.subject.contains($0) }, "subject: \(zhResolved.subject)")
            #expect(zhResolved.subject.contains(mill.chineseName), "subject: \(zhResolved.subject)")
            #expect(enResolved.subject.lowercased().contains("resolved"), "subject: \(enResolved.subject)")
            #expect(sink.messages().count == 4)
            #expect(await daemon.stop() == 0)
        }
    }
}
