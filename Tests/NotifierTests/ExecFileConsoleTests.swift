import Foundation
import Notifier
import Testing

/// The local channels: a command fed the webhook JSON, an append-only JSON-lines file, the
/// console.
@Suite struct ExecFileConsoleTests {
    func folder() throws -> String {
        let f = NSTemporaryDirectory() + "envmon-local-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: f, withIntermediateDirectories: true)
        return f
    }

    @Test func execGetsTheJSONOnStdinAndTheEnvironment() async throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let script = """
            import sys, os, json
            body = json.load(sys.stdin)
            blocked = [l.split()[1] for l in open('/proc/self/status') if l.startswith('SigBlk')][0]
            json.dump({'receiver': os.environ['ENVMON_RECEIVER'], 'status': os.environ['ENVMON_STATUS'],
                       'key': os.environ['ENVMON_IDEMPOTENCY_KEY'], 'version': body['version'], 'alerts': len(body['alerts']),
                       'sigblk': blocked}, open(sys.argv[1], 'w'))
            """
        let message = Fixtures.message([Fixtures.cod()])
        let outcome = await ExecChannel(config: ExecConfig(command: ["python3", "-c", script, dir + "/out.json"])).send(message, now: 0)
        #expect(outcome == .delivered)
        let out = Fixtures.json(Array(try Data(contentsOf: URL(fileURLWithPath: dir + "/out.json"))))
        #expect(out["receiver"] as? String == "env-bureau")
        #expect(out["status"] as? String == "firing")
        #expect(out["key"] as? String == message.idempotencyKey)
        #expect(out["version"] as? String == "4")
        #expect(out["alerts"] as? Int == 1)
        // It starts with no signal blocked (SIGTERM at the timeout must work).
        #expect(out["sigblk"] as? String == "0000000000000000")
    }

    @Test func execOutcomes() async throws {
        let message = Fixtures.message([Fixtures.cod()])
        #expect(await ExecChannel(config: ExecConfig(command: ["false"])).send(message, now: 0) == .retryable(reason: "exec: false: exit status 1"))
        #expect(await ExecChannel(config: ExecConfig(command: ["no-such-command-envmon"])).send(message, now: 0)
            == .final(reason: "exec: no-such-command-envmon: command not found"))
        // At the timeout the command gets SIGTERM (its trap writes down which signal came), not
        // only SIGKILL two seconds later: told without timing it, which a loaded machine stretches.
        let dir = try folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var slow = ExecConfig(command: ["sh", "-c", "trap 'echo TERM > \"$0\"; exit 143' TERM; sleep 30 & wait", dir + "/signal"])
        slow.timeout = 0.5
        #expect(await ExecChannel(config: slow).send(message, now: 0) == .retryable(reason: "exec: sh: killed after the 0.5 s timeout"))
        #expect((try? String(contentsOfFile: dir + "/signal", encoding: .utf8)) == "TERM\n")
        // A command that exits without reading its input is not a crash of ours (SIGPIPE).
        #expect(await ExecChannel(config: ExecConfig(command: ["true"])).send(Fixtures.message(Array(repeating: Fixtures.cod(), count: 400)), now: 0)
            == .delivered)
    }

    @Test func fileAppendsOneJSONLinePerAlert() async throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let channel = FileChannel(config: FileConfig(path: dir + "/alerts.jsonl"))
        let message = Fixtures.message([Fixtures.cod(), Fixtures.noData()])
        #expect(await channel.send(message, now: 0) == .delivered)
        #expect(await channel.send(message, now: 0) == .delivered)
        let lines = try String(contentsOfFile: dir + "/alerts.jsonl", encoding: .utf8).split(separator: "\n").map { Fixtures.json(Array($0.utf8)) }
        #expect(lines.count == 4)
        let first = lines.first ?? [:]
        #expect(first["receiver"] as? String == "env-bureau")
        #expect(first["groupKey"] as? String == message.groupKey)
        #expect(first["idempotencyKey"] as? String == message.idempotencyKey)
        #expect(first["fingerprint"] as? String == message.alerts[0].fingerprint)
        #expect(first["startsAt"] as? String == "2024-05-01T08:00:00Z")
        #expect((first["labels"] as? [String: String])?["station"] == "WX0012")
        #expect((lines[1]["annotations"] as? [String: String])?["state"] == "no-data")

        let broken = FileChannel(config: FileConfig(path: dir + "/no/such/folder/alerts.jsonl"))
        guard case .retryable(let reason, _) = await broken.send(message, now: 0) else {
            Issue.record("an I/O error should be retryable")
            return
        }
        #expect(reason.contains("No such file or directory"))
    }

    @Test func consolePrintsTheTextTemplate() async {
        let printed = Printed()
        var config = ConsoleConfig()
        config.language = .en
        let channel = ConsoleChannel(config: config, templates: Fixtures.templates) { printed.append($0) }
        #expect(await channel.send(Fixtures.message([Fixtures.cod()]), now: 0) == .delivered)
        let text = printed.text
        #expect(text.hasPrefix("[FIRING] 清河污水处理厂出口 COD above limit\n"))
        #expect(text.contains("Value 120 mg/L, limit 90 mg/L (GB 18918-2002 一级A)"))
        #expect(text.hasSuffix("\n") && !text.hasSuffix("\n\n"))
    }

    @Test func theFactoryMakesEachKind() {
        let url = URL(string: "http://127.0.0.1:9/")!
        let integrations: [ReceiverIntegration] = [
            .webhook(WebhookConfig(url: url)), .alertmanager(AlertmanagerConfig(url: url)),
            .email(EmailConfig(to: ["a@example.org"], smarthost: "127.0.0.1:25")), .wecom(RobotConfig(url: url)),
            .dingtalk(RobotConfig(url: url)), .feishu(RobotConfig(url: url)), .exec(ExecConfig(command: ["true"])),
            .file(FileConfig(path: "/tmp/x")), .console(ConsoleConfig()),
        ]
        let kinds = integrations.map { String(describing: type(of: ChannelFactory.make($0, templates: Fixtures.templates))) }
        #expect(kinds == [
            "WebhookChannel", "AlertmanagerChannel", "EmailChannel", "WeComChannel", "DingTalkChannel", "FeishuChannel", "ExecChannel",
            "FileChannel", "ConsoleChannel",
        ])
    }
}

final class Printed: @unchecked Sendable {
    private let lock = NSLock()
    private var parts: [String] = []
    func append(_ s: String) { lock.withLock { parts.append(s) } }
    var text: String { lock.withLock { parts.joined() } }
}
