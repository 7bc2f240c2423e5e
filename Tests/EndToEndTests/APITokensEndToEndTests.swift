import EnvmonTesting
import Foundation
import Testing

extension EndToEnd {
    /// The API's tokens in a real daemon: made by `envmon token new`, admitted by their hash in the
    /// config, checked per role, revoked by SIGHUP, never written to the log; the daemon's local
    /// token lets the CLI on the same machine in.
    @Suite(.serialized) struct APITokensEndToEndTests {
        let dir = TemporaryDirectory("envmon-tokens")

        /// `envmon token new`: the token and the config line that admits it.
        func newToken(_ name: String, _ role: String) async throws -> (token: String, line: String) {
            let result = try await Envmon.run(["token", "new", "--name", name, "--role", role])
            #expect(result.status == 0, "\(result.stderr)")
            let lines = result.stdout.split(separator: "\n").map(String.init)
            let token = try #require(lines.first { $0.hasPrefix("token:") }).dropFirst(6).trimmingCharacters(in: .whitespaces)
            let line = try #require(lines.first { $0.hasPrefix("config:") }).dropFirst(7).trimmingCharacters(in: .whitespaces)
            return (token, line)
        }

        func config(_ tokenLines: [String]) throws -> String {
            let sensors = dir.file("sensors")
            try? FileManager.default.createDirectory(atPath: sensors, withIntermediateDirectories: true)
            try? FileManager.default.copyItem(atPath: Envmon.root + "/sensors/qinghe-paper-mill-outlet.yaml", toPath: sensors + "/paper.yaml")
            let text = """
                store: {path: \(dir.file("store.sqlite"))}
                sensors: [\(sensors)]
                hj212: {host: 127.0.0.1, port: 0}
                http:
                  host: 127.0.0.1
                  port: 0
                  tokens:
                \(tokenLines.map { "    " + $0 }.joined(separator: "\n"))
                notify:
                  route: {receiver: log}
                  receivers:
                    - name: log
                      file_configs: [{path: \(dir.file("notifications.jsonl"))}]
                """
            let path = dir.file("envmon.yaml")
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }

        @Test func tokensAreCheckedPerRoleRevokedOnReloadAndNeverLogged() async throws {
            let reader = try await newToken("dashboard", "read")
            let duty = try await newToken("duty-officer", "operate")
            #expect(reader.token.hasPrefix("envmon_") && reader.token != duty.token)
            let path = try config([reader.line, duty.line])
            let daemon = try await Daemon.start(["--config", path], logPath: dir.file("serve.log"))
            let port = daemon.httpPort

            let anonymous = try await HTTPGet.get(port: port, "/api/v1/silences")
            #expect(anonymous.status == 401)
            let read = try await HTTPGet.get(port: port, "/api/v1/silences", token: reader.token)
            #expect(read.status == 200, "\(read.body)")
            let silence = Data(#"{"matchers": ["station=\"qinghe-paper-mill-outlet\""], "endsAt": "2099-01-01T00:00:00+08:00"}"#.utf8)
            let refused = try await HTTPGet.request(port: port, "POST", "/api/v1/silences", token: reader.token, body: silence)
            #expect(refused.status == 403, "\(refused.body)")
            let created = try await HTTPGet.request(port: port, "POST", "/api/v1/silences", token: duty.token, body: silence)
            #expect(created.status == 201, "\(created.body)")
            // Who silenced: the token's name, without a createdBy in the body.
            #expect((created.json["silence"] as? [String: Any])?["createdBy"] as? String == "duty-officer")
            #expect(try await HTTPGet.get(port: port, "/healthz").status == 200)

            // The CLI beside the daemon goes through its API with the daemon's local token.
            let cli = try await Envmon.run([
                "alerts", "silence", "--db", dir.file("store.sqlite"), "--config", path, "--matchers", "station=\"qinghe-wwtp-outlet\"",
                "--for", "2h", "--by", "cli", "--comment", "through the daemon",
            ])
            #expect(cli.status == 0, "\(cli.stderr)")
            let both = try await HTTPGet.get(port: port, "/api/v1/silences", token: reader.token)
            #expect(both.body.contains("through the daemon") && both.body.contains("qinghe-paper-mill-outlet"), "\(both.body)")

            // Revoked by a reload: only the operator's token stays.
            _ = try config([duty.line])
            kill(daemon.process.processIdentifier, SIGHUP)
            var revoked = try await HTTPGet.get(port: port, "/api/v1/silences", token: reader.token)
            for _ in 0..<50 where revoked.status != 401 {
                try await Task.sleep(for: .milliseconds(100))
                revoked = try await HTTPGet.get(port: port, "/api/v1/silences", token: reader.token)
            }
            #expect(revoked.status == 401)
            let kept = try await HTTPGet.get(port: port, "/api/v1/silences", token: duty.token)
            #expect(kept.status == 200)

            let local = try #require(try? String(contentsOfFile: dir.file("store.sqlite") + ".token", encoding: .utf8))
            #expect(await daemon.stop() == 0, "\(daemon.log)")
            for secret in [reader.token, duty.token, local.trimmingCharacters(in: .whitespacesAndNewlines)] {
                #expect(!daemon.log.contains(secret), "a token is in the log")
            }
            // The local token goes with the daemon.
            #expect(!FileManager.default.fileExists(atPath: dir.file("store.sqlite") + ".token"))
        }

        @Test func aBadTokenEntryStopsStartUpNamingWhere() async throws {
            let path = try config(["- {name: dashboard, role: reader, sha256: \"abc\"}"])
            let result = try await Envmon.run(["serve", "--config", path])
            #expect(result.status != 0)
            #expect(result.stderr.contains("envmon.yaml:8:"), "\(result.stderr)")
            #expect(result.stderr.contains("expected one of: ingest, read, operate, admin"), "\(result.stderr)")
            #expect(result.stderr.contains("sha256: expected 64 hex digits"), "\(result.stderr)")
        }
    }
}
