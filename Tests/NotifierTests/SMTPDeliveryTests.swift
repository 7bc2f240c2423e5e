import Foundation
import Notifier
import Testing

/// EmailChannel through libcurl to a local aiosmtpd sink: the mail arrives whole, 4xx is
/// retried, 5xx is final, `require_tls` against a server without STARTTLS is final. Skipped when
/// python3 cannot import aiosmtpd (`pip install aiosmtpd`).
@Suite(.enabled(if: Python.canImport("aiosmtpd"), "python3's aiosmtpd is not installed (pip install aiosmtpd): SMTP delivery not tested"))
struct SMTPDeliveryTests {
    /// RCPT `later@…` gets 451, `reject@…` 550; each accepted message is written to
    /// <folder>/<n>.eml with its envelope in <n>.json.
    static let sink = """
        import sys, json, socket, time, itertools
        from aiosmtpd.controller import Controller
        folder = sys.argv[1]
        counter = itertools.count()
        class Sink:
            async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
                if address.startswith('later@'): return '451 4.3.0 try again later'
                if address.startswith('reject@'): return '550 5.1.1 no such user'
                envelope.rcpt_tos.append(address)
                return '250 OK'
            async def handle_DATA(self, server, session, envelope):
                n = next(counter)
                open(f'{folder}/{n}.eml', 'wb').write(envelope.original_content)
                json.dump({'from': envelope.mail_from, 'to': envelope.rcpt_tos}, open(f'{folder}/{n}.json', 'w'))
                return '250 Message accepted'
        s = socket.socket(); s.bind(('127.0.0.1', 0)); port = s.getsockname()[1]; s.close()
        c = Controller(Sink(), hostname='127.0.0.1', port=port)
        c.start()
        print(port, flush=True)
        while True: time.sleep(3600)
        """

    func channel(_ port: Int, to: [String], requireTLS: Bool = false) -> EmailChannel {
        var config = EmailConfig(to: to, smarthost: "127.0.0.1:\(port)")
        config.from = "envmon@example.org"
        config.requireTLS = requireTLS
        config.timeout = 10
        return EmailChannel(config: config, templates: Fixtures.templates, client: CurlSMTPClient())
    }

    @Test func aMailArrivesWhole() async throws {
        let sink = try Python.Server(Self.sink)
        defer { sink.stop() }
        let message = Fixtures.message([Fixtures.cod()])
        let outcome = await channel(sink.port, to: ["oncall@example.org", "duty@example.org"]).send(message, now: Fixtures.t0)
        #expect(outcome == .delivered)
        let envelope = Fixtures.json(Array(try Data(contentsOf: URL(fileURLWithPath: sink.folder + "/0.json"))))
        #expect(envelope["from"] as? String == "envmon@example.org")
        #expect(envelope["to"] as? [String] == ["oncall@example.org", "duty@example.org"])
        let parsed = try Python.run(
            """
            import sys, email, email.policy
            m = email.message_from_bytes(open(sys.argv[1], 'rb').read(), policy=email.policy.default)
            print(m['Subject']); print(m['X-Envmon-Idempotency-Key']); print(m.get_body(('plain',)).get_content().splitlines()[0])
            """, [sink.folder + "/0.eml"])
        #expect(parsed.split(separator: "\n").map(String.init) == [
            "【告警】清河污水处理厂出口 COD 超标", message.idempotencyKey, "【告警】清河污水处理厂出口 COD 超标",
        ])
    }

    @Test func fourHundredsAreRetriedFiveHundredsAreFinal() async throws {
        let sink = try Python.Server(Self.sink)
        defer { sink.stop() }
        let message = Fixtures.message([Fixtures.cod()])
        guard case .retryable(let later, _) = await channel(sink.port, to: ["later@example.org"]).send(message, now: 0) else {
            Issue.record("451 should be retryable")
            return
        }
        #expect(later.contains("451"))
        guard case .final(let rejected) = await channel(sink.port, to: ["reject@example.org"]).send(message, now: 0) else {
            Issue.record("550 should be final")
            return
        }
        #expect(rejected.contains("550"))
        guard case .final(let tls) = await channel(sink.port, to: ["oncall@example.org"], requireTLS: true).send(message, now: 0) else {
            Issue.record("require_tls without STARTTLS should be final")
            return
        }
        #expect(tls.lowercased().contains("ssl") || tls.lowercased().contains("tls"))
    }
}
