import EnvmonTesting
import Foundation
import Testing
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

extension EndToEnd {
    /// The notifier end-to-end tests' own infrastructure, checked on its own: the webhook
    /// receiver's modes, the SMTP sink, a real Alertmanager, and the scenario's rule firing and
    /// resolving in a daemon without a `notify:` section. These pass without the notifier.
    @Suite struct NotifierPeersTests {
        let dir = TemporaryDirectory()

        static let session: URLSession = {
            let c = URLSessionConfiguration.ephemeral
            c.timeoutIntervalForRequest = 2
            return URLSession(configuration: c)
        }()

        /// POSTs `body` with an `Idempotency-Key`; returns the status and the headers, or nil on a timeout.
        func post(_ url: String, key: String, _ body: String = #"{"version":"4"}"#) async -> HTTPURLResponse? {
            var request = URLRequest(url: URL(string: url)!)
            request.httpMethod = "POST"
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.setValue(key, forHTTPHeaderField: "Idempotency-Key")
            request.httpBody = Data(body.utf8)
            return (try? await Self.session.data(for: request))?.1 as? HTTPURLResponse
        }

        @Test func theWebhookReceiverRecordsAndAnswersByMode() async throws {
            let ok = try WebhookReceiver(.ok, in: dir.path, name: "ok")
            #expect(await post(ok.url("/hook"), key: "k1", #"{"status":"firing","alerts":[{"status":"firing","labels":{"station":"s"}}]}"#)?.statusCode == 200)
            let seen = ok.requests()
            #expect(seen.count == 1)
            #expect(seen.first?.path == "/hook")
            #expect(seen.first?.method == "POST")
            #expect(seen.first?.idempotencyKey == "k1")
            #expect(seen.first?.has(station: "s", "firing") == true)
            #expect(seen.first?.delivered == true)

            let failing = try WebhookReceiver(.failFor(seconds: 1.5), in: dir.path, name: "fail")
            let first = await post(failing.url(), key: "k2")
            #expect(first?.statusCode == 503)
            #expect(first?.value(forHTTPHeaderField: "Retry-After") == "1")
            try await Task.sleep(for: .seconds(1.6))
            #expect(await post(failing.url(), key: "k2")?.statusCode == 200)
            #expect(failing.requests().map(\.answer) == [503, 200])

            let refusing = try WebhookReceiver(.status(400), in: dir.path, name: "400")
            #expect(await post(refusing.url(), key: "k3")?.statusCode == 400)
            #expect(refusing.requests().first?.answer == 400)
        }

        /// A hung request holds up neither the next request to the same receiver (it is threaded)
        /// nor another receiver.
        @Test func aHangingReceiverNeverAnswersButKeepsRecording() async throws {
            let hang = try WebhookReceiver(.hang, in: dir.path, name: "hang")
            let ok = try WebhookReceiver(.ok, in: dir.path, name: "ok")
            let hung = hang.url()
            async let first = post(hung, key: "h1")
            async let second = post(hung, key: "h2")
            let start = Date()
            #expect(await post(ok.url(), key: "o1")?.statusCode == 200)
            #expect(Date().timeIntervalSince(start) < 1)
            let (a, b) = await (first, second)
            #expect(a == nil && b == nil)  // timed out (2 s)
            #expect(Set(hang.requests().compactMap(\.idempotencyKey)) == ["h1", "h2"])
            #expect(hang.requests().allSatisfy { $0.answer == nil })
        }

        @Test func theSMTPSinkRecordsDecodedSubjectAndParts() async throws {
            let sink = try SMTPSink(in: dir.path)
            let send = """
                import smtplib, sys
                from email.message import EmailMessage
                m = EmailMessage()
                m["Subject"] = "【告警】清河纸业有限公司废水总排口 COD"
                m["From"] = "envmon@example.org"; m["To"] = "duty@example.org"
                m.set_content("COD 150 mg/L 超标")
                m.add_alternative("<p>COD 150 mg/L</p>", subtype="html")
                with smtplib.SMTP("127.0.0.1", int(sys.argv[1])) as s:
                    s.send_message(m)
                print("sent")
                """
            #expect(try await Python.run(send, [String(sink.port)]) == "sent")
            #expect(await eventually(within: 5) { !sink.messages().isEmpty })
            let mail = try #require(sink.messages().first)
            #expect(mail.mailFrom == "envmon@example.org")
            #expect(mail.rcptTos == ["duty@example.org"])
            #expect(mail.subject == "【告警】清河纸业有限公司废水总排口 COD")
            #expect(mail.raw.contains("=?utf-8?"))  // the subject went out RFC 2047-encoded
            #expect(mail.text?.contains("COD 150 mg/L 超标") == true)
            #expect(mail.html?.contains("<p>COD 150 mg/L</p>") == true)
        }

        @Test func alertmanagerListsAPostedAlertAndDropsItOnceEnded() async throws {
            let am = try await Alertmanager(in: dir.path)
            let labels = ["alertname": "cod-e2e-high", "station": "qinghe-paper-mill-outlet", "severity": "critical"]
            #expect(try await am.post(labels: labels, annotations: ["summary": "COD high"]) == 200)
            let listed = try await am.alerts()
            #expect(listed.count == 1)
            #expect(listed.first?.labels == labels)
            #expect(listed.first?.state == "active")
            #expect(listed.first?.annotations["summary"] == "COD high")
            #expect(try await am.post(labels: labels, endsAt: Date().addingTimeInterval(-1)) == 200)
            var after = listed
            for _ in 0..<50 where !after.isEmpty {
                after = try await am.alerts()
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(after.isEmpty, "\(after)")
        }

        /// The scenario the notifier tests build on, without a `notify:` section: one reading
        /// above the rule's limit fires the station's alert at once, a later one under its clear
        /// level resolves it, and both transitions wait in the outbox.
        @Test func theScenarioRuleFiresAndResolvesOnHJ212Readings() async throws {
            let scenario = try NotifierScenario(dir, notify: nil)
            let check = try await Envmon.run(["rules", "check", scenario.rules + "/e2e.yaml", "--sensors", scenario.sensors])
            #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
            let daemon = try await scenario.start()
            #expect(try await scenario.exceed(daemon, NotifierScenario.paperMill) == 1)
            #expect(try await eventually(within: 5) { try await scenario.activeStates()[NotifierScenario.paperMill.id] == "firing" }, "\(daemon.log)")
            #expect(try await scenario.recover(daemon, NotifierScenario.paperMill) == 1)
            #expect(try await eventually(within: 5) { try await scenario.activeStates().isEmpty }, "\(daemon.log)")
            let alerts = try await scenario.alerts()
            #expect(alerts["undelivered_notifications"] as? Int == 2)
            #expect(await daemon.stop() == 0)
        }
    }
}
