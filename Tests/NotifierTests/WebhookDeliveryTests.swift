import Foundation
import Notifier
import Testing

/// WebhookChannel over real loopback sockets to a python3 server: statuses, `Retry-After`,
/// refused connections, a server that never answers, and the headers as they arrive.
@Suite(.serialized) struct WebhookDeliveryTests {
    /// Answers by path: /ok 200, /busy 503 with Retry-After: 120, /bad 400, /hang never. Every
    /// request is appended to requests.jsonl with its headers, body and whether the signature
    /// (sys.argv[2]) verifies.
    static let server = """
        import sys, json, hmac, hashlib, time, http.server
        folder, secret = sys.argv[1], sys.argv[2].encode()
        class H(http.server.BaseHTTPRequestHandler):
            protocol_version = 'HTTP/1.1'
            disable_nagle_algorithm = True
            def log_message(self, *a): pass
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get('Content-Length', 0)))
                good = 'sha256=' + hmac.new(secret, body, hashlib.sha256).hexdigest()
                with open(folder + '/requests.jsonl', 'a') as f:
                    f.write(json.dumps({'path': self.path, 'headers': dict(self.headers), 'body': json.loads(body),
                                        'signed': hmac.compare_digest(self.headers.get('X-Envmon-Signature', ''), good)}) + '\\n')
                if self.path == '/hang':
                    time.sleep(30)
                    return
                status = {'/ok': 200, '/busy': 503, '/bad': 400}.get(self.path, 404)
                reply = b'{}'
                self.send_response(status)
                if status == 503: self.send_header('Retry-After', '120')
                self.send_header('Content-Length', str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)
        s = http.server.ThreadingHTTPServer(('127.0.0.1', 0), H)
        s.daemon_threads = True
        print(s.server_address[1], flush=True)
        s.serve_forever()
        """

    func channel(_ url: String, timeout: Double = 5, client: any HTTPClient = CurlHTTPClient()) -> WebhookChannel {
        var config = WebhookConfig(url: URL(string: url)!)
        config.hmacSecret = "s3cret"
        config.bearerToken = "t0k"
        config.timeout = timeout
        return WebhookChannel(config: config, client: client)
    }

    @Test func statusesMapToOutcomesAndHeadersArrive() async throws {
        let server = try Python.Server(Self.server, ["s3cret"])
        defer { server.stop() }
        let base = "http://127.0.0.1:\(server.port)"
        let client = CurlHTTPClient()
        let message = Fixtures.message([Fixtures.cod()])
        let now: Int64 = 1_000

        #expect(await channel(base + "/ok", client: client).send(message, now: now) == .delivered)
        #expect(await channel(base + "/busy", client: client).send(message, now: now) == .retryable(reason: "HTTP 503", notBefore: now + 120))
        #expect(await channel(base + "/bad", client: client).send(message, now: now) == .final(reason: "HTTP 400"))

        let requests = server.lines("requests.jsonl")
        #expect(requests.count == 3)
        let first = requests.first ?? [:]
        let headers = first["headers"] as? [String: String] ?? [:]
        #expect(headers["Idempotency-Key"] == message.idempotencyKey)
        #expect(headers["Authorization"] == "Bearer t0k")
        #expect(headers["Content-Type"] == "application/json")
        #expect(headers["User-Agent"] == "envmon")
        #expect(first["signed"] as? Bool == true)
        #expect((first["body"] as? [String: Any])?["version"] as? String == "4")
    }

    @Test func manyMessagesOverKeptAliveConnections() async throws {
        let server = try Python.Server(Self.server, ["s3cret"])
        defer { server.stop() }
        let channel = channel("http://127.0.0.1:\(server.port)/ok", client: CurlHTTPClient(maxConnections: 2))
        let message = Fixtures.message([Fixtures.cod()])
        let outcomes = await withTaskGroup(of: RetryPolicy.Outcome.self) { group in
            for _ in 0..<50 { group.addTask { await channel.send(message, now: 0) } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes.count == 50)
        #expect(outcomes.allSatisfy { $0 == .delivered })
        #expect(server.lines("requests.jsonl").count == 50)
    }

    @Test func aRefusedConnectionIsRetryable() async {
        // Port 1 on loopback: nothing listens there.
        let outcome = await channel("http://127.0.0.1:1/ok").send(Fixtures.message([Fixtures.cod()]), now: 0)
        guard case .retryable(let reason, nil) = outcome else {
            Issue.record("expected retryable, got \(outcome)")
            return
        }
        #expect(reason.contains("127.0.0.1:1"))
        #expect(reason.lowercased().contains("connect"))
    }

    @Test func aServerThatNeverAnswersIsRetryableAfterTheTimeout() async throws {
        let server = try Python.Server(Self.server, ["s3cret"])
        defer { server.stop() }
        let start = ContinuousClock.now
        let outcome = await channel("http://127.0.0.1:\(server.port)/hang", timeout: 1).send(Fixtures.message([Fixtures.cod()]), now: 0)
        let elapsed = ContinuousClock.now - start
        guard case .retryable(let reason, nil) = outcome else {
            Issue.record("expected retryable, got \(outcome)")
            return
        }
        #expect(reason.lowercased().contains("timed out") || reason.lowercased().contains("timeout"))
        #expect(elapsed >= .milliseconds(900) && elapsed < .seconds(5))
    }

    @Test func aMalformedAddressIsFinal() async {
        let outcome = await channel("ftp://127.0.0.1/x").send(Fixtures.message([Fixtures.cod()]), now: 0)
        guard case .final = outcome else {
            Issue.record("expected final, got \(outcome)")
            return
        }
    }
}
