import Collectors
import EnvmonConfig
import EnvmonDashboard
import EnvmonHTTP
import Foundation
import Logging
import Notifier
import PostgresStore
import Reports
import Store
import Yams

/// The daemon's settings: what `envmon serve` reads from its config file (YAML). Every key is
/// optional; the defaults below are the ones the README documents.
///
/// ```yaml
/// store:
///   path: var/envmon.sqlite
///   max_batch: 100000      # samples that make the writer commit at once
///   max_delay: 10ms        # the longest a reading waits for its commit (and its 9014 reply)
///   page_size: 4096        # SQLite page size of a new store file
///   staging: true          # stage small live batches, fold them every few seconds (StagingPolicy)
///   synchronous: full      # full: a reading is acknowledged once synced to disk (survives a power
///                          # cut); normal: once committed (survives a crash of the process), see README
///   # url: "postgres://envmon@db.example:5432/envmon?sslmode=require"  # PostgreSQL instead of the file
///   #                      # (then path, page_size, staging and synchronous are errors)
///   # password_file: /etc/envmon/pg-password   # its first line; else PGPASSWORD
/// sensors: [sensors]
/// hj212:
///   host: 0.0.0.0
///   port: 9212
///   max_frame_bytes: 10240
///   idle_timeout: 10m       # no complete frame for this long: closed (bytes that make no frame do not count)
///   frame_timeout: 1m       # a frame must end this long after its first byte, a new connection's first
///                           # frame this long after connecting, or the connection is closed
///   max_connections: 4096   # at most what the open-file limit allows (its hard limit less 64)
///   max_connections_per_address: 64
///   max_unauthenticated_connections: 1024  # without an authenticated frame yet; past it a new
///                           # connection closes the oldest of them
///   eviction_grace: 2s      # …once it is this old; if none is, the newcomer is refused
///   max_frames_in_flight: 256
///   unknown_mn: reject      # or quarantine
///   quarantine_file: var/hj212-quarantine.log
///   quarantine_max_bytes: 64MiB   # then rotated to quarantine_file.1
///   quarantine_rate: 1      # frames a second per address, after a burst of quarantine_burst
///   quarantine_burst: 60
///   bad_crc: drop           # or accept-modbus
///   check_password: true
///   max_future: 1h
///   max_past: 400d          # older DataTimes are station clock faults
///   bad_time: reject        # or quarantine: what becomes of frames with such DataTimes
///   max_garbage_bytes: 65536
/// rules:
///   path: rules             # the rule packs; a missing folder runs no rules
///   grace: 10m              # how long late readings are waited for before an hour or day is judged
///   tick: 5s                # how often time-based conditions (no data, closed hours) are checked
/// log:
///   level: info             # trace, debug, info, notice, warning, error, critical
///   stats_interval: 5m      # per-station HJ 212 figures in the log; 0 turns them off
/// http:                     # /healthz, /readyz, /metrics and the API
///   host: 127.0.0.1         # loopback: nothing is exposed unless asked
///   port: 9090              # 0 picks a free one
///   tokens:                 # API tokens, by their SHA-256 (`envmon token new` makes one)
///     - {name: telegraf-plant-3, role: ingest, sha256: "9f86d08…"}
/// dashboard:                # the operators' pages at / (DashboardSettings)
///   open: false             # true: reading pages without a login (only with http.host on loopback)
///   session: 12h            # how long a login lasts
/// mqtt:                     # the MQTT collector (MQTTConfiguration): off without this section
///   url: mqtt://127.0.0.1:1883
///   client_id: envmon-office-1
///   subscriptions:
///     - {topic: "envmon/readings/#", format: json}
/// ```
struct ServeSettings {
    var storePath = "var/envmon.sqlite"
    var maxBatch = 100_000
    var maxDelayMilliseconds = 10
    var pageSize = 4_096
    var staging = true
    /// FULL by default: an acknowledged reading is evidence, and units do not resend what was
    /// acknowledged. Measured on the load benchmark (README, Operations): same throughput and CPU,
    /// p50 unchanged, p99 about 1.5–2x at 21,000 frames/s on two shared cores.
    var synchronous = SQLiteStore.Synchronous.full
    /// `store.url` (and `store.password_file`): the store is on PostgreSQL; nil: the SQLite file
    /// at ``storePath``.
    var postgres: PostgresStoreConfiguration?
    var sensors = ["sensors"]
    var hj212 = HJ212ServerConfiguration()
    var logLevel = Logger.Level.info
    var statsInterval: Int64 = 300
    var rulesPath = "rules"
    var rulesGrace: Int64 = 600
    var rulesTickMilliseconds = 5_000
    /// The `notify:` section (Alertmanager's shape, NotifyConfigurationLoader); nil when the
    /// config has none: no notifier runs and notifications wait in the outbox.
    var notify: NotifyConfiguration?
    var http = HTTPListener.Configuration()
    /// The API's tokens (`http.tokens`); the daemon adds its local one at start.
    var tokens: [AccessToken] = []
    /// The `reports:` section: the language reports, the case register and the API speak by
    /// default, the bureau's zone, and the folder of target files.
    var reportLanguage = ReportLanguage.zhCN
    var reportTimeZone = "Asia/Shanghai"
    var targetsPath = "targets"
    /// The bureau's zone (`reports.time_zone`, checked when the config was read): dates of
    /// reports and cases, and times given without an offset to the alert commands and the API.
    var bureauZone: TimeZone { TimeZone(identifier: reportTimeZone) ?? BureauZone.beijing }
    /// The `mqtt:` section (MQTTConfigurationLoader); nil when the config has none: no MQTT
    /// collector runs.
    var mqtt: MQTTConfiguration?
    /// The `dashboard:` section: the operators' pages at `/`.
    var dashboard = DashboardSettings()

    init() {}

    /// Reads a config file; every error in it is reported at once, located.
    init(path: String) throws(ConfigErrors) {
        let file: YAMLFile
        do { file = try YAMLFile(path: path) } catch { throw ConfigErrors([error]) }
        var reader = Reader(file: file)
        reader.read(into: &self)
        reader.checkOpenDashboard(self)
        if !reader.errors.isEmpty { throw ConfigErrors(reader.errors) }
    }

    /// The config file's sections: the one list that the reader dispatches on (its switch must
    /// cover every case) and that the error for an unknown section prints.
    enum Section: String, CaseIterable {
        case store, sensors, hj212, rules, log, http, notify, reports, mqtt, dashboard
    }

    private struct Reader {
        let file: YAMLFile
        var errors: [ConfigError] = []

        mutating func read(into s: inout ServeSettings) {
            guard let root = file.root else { return }
            guard let pairs = root.pairs else {
                errors.append(file.error(.wrongType, "the config must be a mapping of sections", at: root))
                return
            }
            for (key, value) in pairs {
                guard let name = Section(rawValue: key.string ?? "") else {
                    let known = Section.allCases.map(\.rawValue).joined(separator: ", ")
                    errors.append(file.error(.unknownField, "unknown section '\(key.string ?? "")' (\(known))", at: key))
                    continue
                }
                switch name {
                case .store: section(value, key) { r, k, v in
                        switch k {
                        case "path": r.string(v) { s.storePath = $0 }
                        case "max_batch": r.int(v, 1...10_000_000) { s.maxBatch = $0 }
                        case "max_delay": r.milliseconds(v, 0...60_000) { s.maxDelayMilliseconds = $0 }
                        case "page_size": r.pageSize(v) { s.pageSize = $0 }
                        case "staging": r.bool(v) { s.staging = $0 }
                        case "synchronous": r.choice(v, SQLiteStore.Synchronous.self) { s.synchronous = $0 }
                        case "url", "password_file": break  // PostgresStoreConfigurationLoader, below
                        default: return false
                        }
                        return true
                    }
                    s.postgres = PostgresStoreConfigurationLoader().read(value, in: file, errors: &errors)
                case .sensors:
                    if let items = value.items {
                        s.sensors = items.compactMap(\.text)
                    } else if let text = value.text {
                        s.sensors = [text]
                    } else {
                        errors.append(file.error(.wrongType, "sensors: a folder or a list of folders", at: value))
                    }
                case .hj212: section(value, key) { r, k, v in
                        switch k {
                        case "host": r.string(v) { s.hj212.host = $0 }
                        case "port": r.int(v, 0...65_535) { s.hj212.port = $0 }
                        case "max_frame_bytes": r.int(v, 64...1_048_576) { s.hj212.maxFrameBytes = $0 }
                        case "idle_timeout": r.seconds(v, 1...604_800) { s.hj212.idleTimeout = Int64($0) }
                        case "frame_timeout": r.seconds(v, 1...86_400) { s.hj212.frameTimeout = Int64($0) }
                        case "max_connections": r.int(v, 1...1_000_000) { s.hj212.maxConnections = $0 }
                        case "max_connections_per_address": r.int(v, 1...1_000_000) { s.hj212.maxConnectionsPerAddress = $0 }
                        case "max_unauthenticated_connections": r.int(v, 1...1_000_000) { s.hj212.maxUnauthenticatedConnections = $0 }
                        case "eviction_grace": r.milliseconds(v, 0...600_000) { s.hj212.evictionGrace = Int64($0) }
                        case "max_frames_in_flight": r.int(v, 1...100_000) { s.hj212.maxFramesInFlight = $0 }
                        case "unknown_mn": r.choice(v, HJ212ServerConfiguration.UnknownMNPolicy.self) { s.hj212.unknownMN = $0 }
                        case "quarantine_file": r.string(v) { s.hj212.quarantineFile = $0 }
                        case "quarantine_max_bytes": r.bytes(v, 65_536...(1 << 40)) { s.hj212.quarantineLimits.maxBytes = $0 }
                        case "quarantine_rate": r.number(v, 0.001...100_000) { s.hj212.quarantineLimits.rate = $0 }
                        case "quarantine_burst": r.int(v, 1...1_000_000) { s.hj212.quarantineLimits.burst = $0 }
                        case "bad_crc": r.choice(v, HJ212ServerConfiguration.BadCRCPolicy.self) { s.hj212.badCRC = $0 }
                        case "check_password": r.bool(v) { s.hj212.checkPassword = $0 }
                        case "max_future": r.seconds(v, 0...31_536_000) { s.hj212.maxFuture = Int64($0) }
                        case "max_past": r.seconds(v, 3_600...(100 * 366 * 86_400)) { s.hj212.maxPast = Int64($0) }
                        case "bad_time": r.choice(v, HJ212ServerConfiguration.BadTimePolicy.self) { s.hj212.badTime = $0 }
                        case "max_garbage_bytes": r.int(v, 1_024...100_000_000) { s.hj212.maxGarbageBytes = $0 }
                        default: return false
                        }
                        return true
                    }
                case .rules: section(value, key) { r, k, v in
                        switch k {
                        case "path": r.string(v) { s.rulesPath = $0 }
                        case "grace": r.seconds(v, 0...7 * 86_400) { s.rulesGrace = Int64($0) }
                        case "tick": r.milliseconds(v, 10...600_000) { s.rulesTickMilliseconds = $0 }
                        default: return false
                        }
                        return true
                    }
                case .notify:
                    s.notify = NotifyConfigurationLoader().read(value, in: file, errors: &errors)
                case .mqtt:
                    s.mqtt = MQTTConfigurationLoader().read(value, in: file, errors: &errors)
                case .http: section(value, key) { r, k, v in
                        switch k {
                        case "host": r.string(v) { s.http.host = $0 }
                        case "port": r.int(v, 0...65_535) { s.http.port = $0 }
                        case "tokens": s.tokens = r.tokens(v)
                        default: return false
                        }
                        return true
                    }
                case .dashboard: section(value, key) { r, k, v in
                        switch k {
                        case "enabled": r.bool(v) { s.dashboard.enabled = $0 }
                        case "open": r.bool(v) { s.dashboard.open = $0 }
                        case "session": r.seconds(v, 60...30 * 86_400) { s.dashboard.sessionSeconds = Int64($0) }
                        default: return false
                        }
                        return true
                    }
                case .reports: section(value, key) { r, k, v in
                        switch k {
                        case "language": r.choice(v, ReportLanguage.self) { s.reportLanguage = $0 }
                        case "time_zone": r.timeZone(v) { s.reportTimeZone = $0 }
                        case "targets": r.string(v) { s.targetsPath = $0 }
                        default: return false
                        }
                        return true
                    }
                case .log: section(value, key) { r, k, v in
                        switch k {
                        case "level": r.choice(v, Logger.Level.self) { s.logLevel = $0 }
                        case "stats_interval": r.seconds(v, 0...86_400) { s.statsInterval = Int64($0) }
                        default: return false
                        }
                        return true
                    }
                }
            }
        }

        /// Open pages need no login: only this machine may reach them.
        mutating func checkOpenDashboard(_ s: ServeSettings) {
            guard s.dashboard.open, !DashboardSettings.isLoopback(host: s.http.host) else { return }
            let at = file.root?.pairs?.first { $0.0.string == "dashboard" }?.1.pairs?.first { $0.0.string == "open" }?.1
            errors.append(
                file.error(
                    .wrongType, "dashboard.open: true needs http.host on loopback (127.0.0.1 or ::1), not \(s.http.host); log in with a token instead",
                    at: at ?? file.root))
        }

        /// Reads a mapping section; `field` returns false for a key it does not know.
        mutating func section(_ node: Node, _ name: Node, _ field: (inout Reader, String, Node) -> Bool) {
            guard let pairs = node.pairs else {
                errors.append(file.error(.wrongType, "\(name.string ?? ""): expected a mapping", at: node))
                return
            }
            for (key, value) in pairs where !field(&self, key.string ?? "", value) {
                errors.append(file.error(.unknownField, "unknown key '\(key.string ?? "")' in \(name.string ?? "")", at: key))
            }
        }

        mutating func string(_ node: Node, _ set: (String) -> Void) {
            guard let text = node.text, !text.isEmpty else {
                errors.append(file.error(.wrongType, "expected text", at: node))
                return
            }
            set(text)
        }

        mutating func int(_ node: Node, _ range: ClosedRange<Int>, _ set: (Int) -> Void) {
            guard let n = node.text.flatMap({ Int($0) }), range.contains(n) else {
                errors.append(file.error(.badValue, "expected a whole number in \(range.lowerBound)…\(range.upperBound)", at: node))
                return
            }
            set(n)
        }

        mutating func seconds(_ node: Node, _ range: ClosedRange<Int>, _ set: (Int) -> Void) {
            guard let n = node.text.flatMap({ DurationText.seconds($0) }), range.contains(n) else {
                errors.append(file.error(.badValue, "expected a duration such as 90s, 10m or 1h, from \(range.lowerBound) s to \(range.upperBound) s", at: node))
                return
            }
            set(n)
        }

        mutating func number(_ node: Node, _ range: ClosedRange<Double>, _ set: (Double) -> Void) {
            guard let n = node.text.flatMap({ Double($0) }), range.contains(n) else {
                errors.append(file.error(.badValue, "expected a number from \(range.lowerBound) to \(range.upperBound)", at: node))
                return
            }
            set(n)
        }

        mutating func bytes(_ node: Node, _ range: ClosedRange<Int64>, _ set: (Int64) -> Void) {
            guard let n = node.text.flatMap({ ByteSizeText.bytes($0) }), range.contains(n) else {
                errors.append(file.error(.badValue, "expected a size such as 64MiB or 512KiB, from \(range.lowerBound) bytes to \(range.upperBound >> 30) GiB", at: node))
                return
            }
            set(n)
        }

        mutating func milliseconds(_ node: Node, _ range: ClosedRange<Int>, _ set: (Int) -> Void) {
            guard let n = node.text.flatMap({ DurationText.milliseconds($0) }), range.contains(n) else {
                errors.append(file.error(.badValue, "expected a duration such as 25ms or 1s, up to \(range.upperBound / 1_000) s", at: node))
                return
            }
            set(n)
        }

        mutating func pageSize(_ node: Node, _ set: (Int) -> Void) {
            guard let n = node.text.flatMap({ Int($0) }), (512...65_536).contains(n), n.nonzeroBitCount == 1 else {
                errors.append(file.error(.badValue, "expected a power of two from 512 to 65536", at: node))
                return
            }
            set(n)
        }

        /// `http.tokens`: a list of `{name, role, sha256}`; names are unique, hashes are 64 hex digits.
        mutating func tokens(_ node: Node) -> [AccessToken] {
            guard let items = node.items else {
                errors.append(file.error(.wrongType, "tokens: expected a list of {name, role, sha256}", at: node))
                return []
            }
            var tokens: [AccessToken] = []
            for item in items {
                guard let pairs = item.pairs else {
                    errors.append(file.error(.wrongType, "a token: expected a mapping {name, role, sha256}", at: item))
                    continue
                }
                var name: String?
                var role: Role?
                var hash: String?
                for (key, value) in pairs {
                    switch key.string ?? "" {
                    case "name": string(value) { name = $0 }
                    case "role": choice(value, Role.self) { role = $0 }
                    case "sha256":
                        if let text = value.text, AccessToken.isHash(text) {
                            hash = text.lowercased()
                        } else {
                            errors.append(file.error(.badValue, "sha256: expected 64 hex digits, the SHA-256 of the token (envmon token hash)", at: value))
                        }
                    default:
                        errors.append(file.error(.unknownField, "unknown key '\(key.string ?? "")' in a token (name, role, sha256)", at: key))
                    }
                }
                guard let name, let role, let hash else {
                    let missing = [name == nil ? "name" : nil, role == nil ? "role" : nil, hash == nil ? "sha256" : nil].compactMap { $0 }
                    errors.append(file.error(.missingField, "a token needs \(missing.joined(separator: ", "))", at: item))
                    continue
                }
                if name == LocalToken.name || tokens.contains(where: { $0.name == name }) {
                    errors.append(file.error(.badValue, name == LocalToken.name ? "the token name 'local' is the daemon's own" : "a second token named '\(name)'", at: item))
                    continue
                }
                if tokens.contains(where: { $0.sha256 == hash }) {
                    errors.append(file.error(.badValue, "token '\(name)' has the same hash as another token", at: item))
                    continue
                }
                tokens.append(AccessToken(name: name, role: role, sha256: hash))
            }
            return tokens
        }

        mutating func bool(_ node: Node, _ set: (Bool) -> Void) {
            switch node.text {
            case "true", "yes", "on": set(true)
            case "false", "no", "off": set(false)
            default: errors.append(file.error(.wrongType, "expected true or false", at: node))
            }
        }

        mutating func timeZone(_ node: Node, _ set: (String) -> Void) {
            guard let text = node.text, TimeZone(identifier: text) != nil else {
                errors.append(file.error(.badTimeZone, "expected an IANA time zone such as Asia/Shanghai", at: node))
                return
            }
            set(text)
        }

        mutating func choice<T: RawRepresentable & CaseIterable>(_ node: Node, _: T.Type, _ set: (T) -> Void) where T.RawValue == String {
            guard let value = node.text.flatMap({ T(rawValue: $0) }) else {
                let options = T.allCases.map(\.rawValue).joined(separator: ", ")
                errors.append(file.error(.badValue, "expected one of: \(options)", at: node))
                return
            }
            set(value)
        }
    }
}
