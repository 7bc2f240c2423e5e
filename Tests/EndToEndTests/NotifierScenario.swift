import EnvmonTesting
import Foundation

/// The daemon side of the notifier's end-to-end tests: a temp folder with three discharge
/// outlets in sensors/, one rule that fires on a single COD reading above 100 mg/L and resolves
/// at or below 80 (`for: 0`), a config whose `notify:` section the test writes, and python3
/// field units that send hourly COD over HJ 212.
final class NotifierScenario {
    /// A station of the scenario, as sensors/ has it.
    struct Station: Sendable {
        let id: String
        let mn: String
        let password: String
        /// The Chinese part of its `name:` in sensors/.
        let chineseName: String
        /// The English part of its `name:` in sensors/ (inside the brackets).
        let englishName: String
    }

    static let paperMill = Station(
        id: "qinghe-paper-mill-outlet", mn: "371499320150002000000201", password: "qh3202",
        chineseName: "清河纸业有限公司废水总排口", englishName: "Qinghe Paper Co. wastewater outlet")
    static let coking = Station(
        id: "qinghe-coking-outlet", mn: "QHMHG050000301", password: "qh3203",
        chineseName: "清河煤化工焦化废水排放口", englishName: "Qinghe Coal Chemical coking wastewater outlet")
    static let wwtp = Station(
        id: "qinghe-wwtp-outlet", mn: "371499320120001000000101", password: "qh3201",
        chineseName: "清河市城北污水处理厂总排口", englishName: "Qinghe Chengbei WWTP final outlet")

    /// The one rule the daemon runs: its name is the notifications' `alertname`.
    static let rule = "cod-e2e-high"
    static let rulePack = """
        rules:
          - name: cod-e2e-high
            kind: threshold
            basis: reading
            above: 100
            clear_fraction: 0.8
            severity: critical
            match:
              kinds: [discharge-outlet]
              parameters: [COD]
            labels: {team: water}
            summary: "COD reading above 100 mg/L"

        """

    /// The `notify:` section the tests share: a root route to `root` grouped by alertname and
    /// station with no group wait, a 1 s group interval and a 4 h repeat interval; `routes`
    /// (YAML list items, unindented), `receivers` (YAML list items, unindented), fast retries
    /// (first 1 s, max `retryMax`), then `extra` (more keys of the section, unindented).
    static func notify(root: String, routes: String = "", receivers: String, retryMax: String = "2s", extra: String = "") -> String {
        var text = """
            route:
              receiver: \(root)
              group_by: [alertname, station]
              group_wait: 0s
              group_interval: 1s
              repeat_interval: 4h

            """
        if !routes.isEmpty { text += "  routes:\n" + indent(routes, by: 4) }
        text += "receivers:\n" + indent(receivers, by: 2)
        text += "retry: {first: 1s, max: \(retryMax), max_age: 1h}\n"
        return text + extra
    }

    /// `text` with every non-empty line indented by `spaces`, ending in a newline.
    static func indent(_ text: String, by spaces: Int) -> String {
        text.split(separator: "\n").map { String(repeating: " ", count: spaces) + $0 }.joined(separator: "\n") + "\n"
    }

    let dir: TemporaryDirectory
    let sensors: String
    let rules: String
    let db: String
    let config: String
    private var runs = 0

    /// Writes sensors/, rules/ and a config with `notify` (the YAML of the `notify:` section,
    /// indented two spaces under it; nil: no section).
    init(_ dir: TemporaryDirectory, notify: String?) throws {
        self.dir = dir
        sensors = dir.file("sensors")
        try FileManager.default.createDirectory(atPath: sensors, withIntermediateDirectories: true)
        for s in [Self.paperMill, Self.coking, Self.wwtp] {
            try FileManager.default.copyItem(atPath: Envmon.root + "/sensors/\(s.id).yaml", toPath: sensors + "/\(s.id).yaml")
        }
        rules = (dir.write("rules/e2e.yaml", Self.rulePack) as NSString).deletingLastPathComponent
        db = dir.file("envmon.sqlite")
        var text = "rules:\n  grace: 0s\n  tick: 100ms\nlog:\n  stats_interval: 0\n"
        if let notify {
            text += "notify:\n" + notify.split(separator: "\n", omittingEmptySubsequences: false)
                .map { $0.isEmpty ? "" : "  " + $0 }.joined(separator: "\n") + "\n"
        }
        config = dir.write("envmon.yaml", text)
    }

    /// The config file as written.
    var configText: String { (try? String(contentsOfFile: config, encoding: .utf8)) ?? "" }

    /// Starts `envmon serve` on the scenario's config, store, sensors and rules (each start logs
    /// to its own file: serve1.log, serve2.log, …).
    func start() async throws -> Daemon {
        runs += 1
        return try await Daemon.start(
            ["--config", config, "--db", db, "--sensors", sensors, "--rules", rules], logPath: dir.file("serve\(runs).log"))
    }

    /// `envmon ARGUMENTS --config CONFIG --db DB`: the CLI against the daemon's store.
    func cli(_ arguments: [String]) async throws -> Envmon.Result {
        try await Envmon.run(arguments + ["--config", config, "--db", db])
    }

    /// Sends hourly COD means of `station` to the daemon, one frame per (hours ago, value) on one
    /// connection (hours counted back from the current hour in Beijing time), each waiting for
    /// its 9014; returns how many were acknowledged.
    @discardableResult
    func send(_ daemon: Daemon, _ station: Station, _ readings: [(hoursAgo: Int, cod: Double)]) async throws -> Int {
        let code = """
            import socket, sys, datetime, json, time
            from hj212 import frame
            port, mn, pw, readings = int(sys.argv[1]), sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
            beijing = datetime.timezone(datetime.timedelta(hours=8))
            now = datetime.datetime.now(beijing).replace(minute=0, second=0, microsecond=0)
            acked = 0
            s = socket.create_connection(("127.0.0.1", port)); s.settimeout(5)
            for i, (hours_ago, cod) in enumerate(readings):
                t = (now - datetime.timedelta(hours=hours_ago)).strftime("%Y%m%d%H%M%S")
                qn = datetime.datetime.now(beijing).strftime("%Y%m%d%H%M%S") + "%03d" % i
                seg = "QN=%s;ST=32;CN=2061;PW=%s;MN=%s;Flag=5;CP=&&DataTime=%s;w01018-Avg=%s,w01018-Flag=N&&" % (qn, pw, mn, t, cod)
                s.sendall(frame(seg))
                if b"CN=9014" in s.recv(4096): acked += 1
            print(acked)
            """
        let list = "[" + readings.map { "[\($0.hoursAgo), \($0.cod)]" }.joined(separator: ",") + "]"
        let printed = try await Python.run(code, [String(daemon.port), station.mn, station.password, list])
        return Int(printed) ?? -1
    }

    /// One COD reading above the rule's limit (150 mg/L, three hours ago): the station's alert fires.
    @discardableResult
    func exceed(_ daemon: Daemon, _ station: Station) async throws -> Int { try await send(daemon, station, [(3, 150)]) }

    /// A later reading back under the clear level (40 mg/L, two hours ago): the alert resolves.
    @discardableResult
    func recover(_ daemon: Daemon, _ station: Station) async throws -> Int { try await send(daemon, station, [(2, 40)]) }

    /// `envmon alerts --format json` on the store.
    func alerts() async throws -> [String: Any] {
        let r = try await Envmon.run(["alerts", "--db", db, "--format", "json"])
        guard r.status == 0 else { throw DaemonError("envmon alerts: \(r.stderr)") }
        return (try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]) ?? [:]
    }

    /// The states of the rule's active alerts by station (`firing`, …).
    func activeStates() async throws -> [String: String] {
        var out: [String: String] = [:]
        let listed = try await alerts()
        for a in (listed["active"] as? [[String: Any]]) ?? [] where a["rule"] as? String == Self.rule {
            if let station = a["station"] as? String { out[station] = a["state"] as? String }
        }
        return out
    }
}
