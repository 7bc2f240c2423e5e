import EnvmonConfig
import EnvmonTesting
import Foundation
import Notifier
import Testing

/// The `notify:` section: the issue's example reads to the expected values.
@Suite struct NotifyConfigurationLoaderTests {
    let fixture = NotifyFixture()

    static let example = """
        notify:
          route:
            receiver: duty
            group_by: [alertname, station]     # or ['...'] meaning all labels
            group_wait: 30s
            group_interval: 5m
            repeat_interval: 4h
            routes:
              - matchers: ['severity="critical"', 'station=~"qinghe-.*"']
                receiver: duty-phones
                continue: true
              - match: {severity: warning}
                match_re: {station: 'bj-.*'}
                receiver: robots
                group_by: ['...']
                group_wait: 0s
                routes:
                  - matchers: [district="Xihe"]
                    repeat_interval: 1d
          receivers:
            - name: duty
              webhook_configs:
                - {url: "http://127.0.0.1:9000/hook", send_resolved: true, bearer_token: x, hmac_secret: s, signature_header: X-Sig, timeout: 10s, max_alerts: 0}
                - {url: "https://hooks.example.org/envmon", send_resolved: false, bearer_token_file: secrets/token, hmac_secret_file: secrets/hmac, timeout: 2500ms, max_alerts: 20}
            - name: duty-phones
              email_configs: [{to: "duty@example.org", from: envmon@example.org, smarthost: "127.0.0.1:2525", auth_username: envmon, auth_password_file: secrets/smtp, require_tls: false, send_resolved: true, language: en, timeout: 20s}]
            - name: robots
              wecom_configs: [{url: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", mention_mobiles: ["13800000000"], language: zh-CN}]
              dingtalk_configs: [{url: "https://oapi.dingtalk.com/robot/send?access_token=t", secret: SECabc, send_resolved: false, timeout: 5s}]
              feishu_configs: [{url: "https://open.feishu.cn/open-apis/bot/v2/hook/h", secret: fs, language: en}]
              alertmanager_configs: [{url: "http://127.0.0.1:9093", resend_interval: 1m, timeout: 3s}]
              exec_configs: [{command: [/usr/local/bin/page, --urgent], timeout: 10s, send_resolved: false}]
              file_configs: [{path: var/notifications.jsonl}]
              console_configs: [{language: en}]
            - name: nobody
          inhibit_rules:
            - source_matchers: ['severity="critical"']
              target_matchers: ['severity="warning"']
              equal: [station]
            - source_match: {alertname: deadman}
              target_match_re: {alertname: '.+'}
          maintenance_windows:
            - name: calibration
              matchers: ['station=~"qinghe-.*"']
              weekdays: ['tuesday', 'saturday:sunday']       # Alertmanager time_interval syntax, ranges inclusive
              times: [{start_time: "02:00", end_time: "04:00"}]   # end exclusive, 24:00 allowed
              location: Asia/Shanghai                          # IANA zone; default UTC; 'Local' = system zone
            - name: overnight
              times: [{start_time: "22:00", end_time: "24:00"}, {start_time: "00:00", end_time: "06:00"}]
          retry: {first: 1s, max: 5m, max_age: 24h}
          retention: 7d
          templates: path/to/folder
          external_url: http://envmon.example/
        """

    func loadExample() throws -> NotifyConfiguration {
        fixture.folder.write("secrets/token", "token-from-file\n")
        fixture.folder.write("secrets/hmac", "hmac-from-file\r\n")
        fixture.folder.write("secrets/smtp", "smtp-password\n")
        return try fixture.load(Self.example)
    }

    @Test func theRouteTreeReadsWithMatchersFromBothSyntaxes() throws {
        let c = try loadExample()
        #expect(c.route.receiver == "duty")
        #expect(c.route.groupBy == .labels(["alertname", "station"]))
        #expect(c.route.groupWait == 30 && c.route.groupInterval == 300 && c.route.repeatInterval == 14_400)
        #expect(c.route.routes.count == 2)
        let phones = c.route.routes[0]
        #expect(phones.receiver == "duty-phones" && phones.continue)
        #expect(try phones.matchers == [LabelMatcher(parsing: #"severity="critical""#), LabelMatcher(parsing: #"station=~"qinghe-.*""#)])
        #expect(phones.groupBy == nil && phones.groupWait == nil, "unset: inherited later")
        let robots = c.route.routes[1]
        #expect(try robots.matchers == [LabelMatcher(name: "severity", op: .equal, value: "warning"), LabelMatcher(name: "station", op: .matchesRegex, value: "bj-.*")])
        #expect(robots.groupBy == .all && robots.groupWait == 0 && !robots.continue)
        #expect(robots.routes.first?.receiver == nil && robots.routes.first?.repeatInterval == 86_400)
    }

    @Test func everyIntegrationReadsWithItsSettings() throws {
        let c = try loadExample()
        #expect(c.receivers.map(\.name) == ["duty", "duty-phones", "robots", "nobody"])
        guard case .webhook(let hook) = c.receiver(named: "duty")?.integrations[0],
            case .webhook(let hook2) = c.receiver(named: "duty")?.integrations[1]
        else { Issue.record("webhooks"); return }
        #expect(hook.url.absoluteString == "http://127.0.0.1:9000/hook" && hook.sendResolved)
        #expect(hook.bearerToken == "x" && hook.hmacSecret == "s" && hook.signatureHeader == "X-Sig" && hook.timeout == 10 && hook.maxAlerts == 0)
        #expect(hook2.bearerToken == "token-from-file" && hook2.hmacSecret == "hmac-from-file", "read from *_file, trailing newline trimmed")
        #expect(!hook2.sendResolved && hook2.timeout == 2.5 && hook2.maxAlerts == 20 && hook2.signatureHeader == "X-Envmon-Signature")

        guard case .email(let mail) = c.receiver(named: "duty-phones")?.integrations.first else { Issue.record("email"); return }
        #expect(mail.to == ["duty@example.org"] && mail.from == "envmon@example.org" && mail.smarthost == "127.0.0.1:2525")
        #expect(mail.authUsername == "envmon" && mail.authPassword == "smtp-password" && !mail.requireTLS)
        #expect(mail.sendResolved && mail.language == .en && mail.timeout == 20)

        let robots = try #require(c.receiver(named: "robots")).integrations
        #expect(robots.map(\.kind) == ["wecom", "dingtalk", "feishu", "alertmanager", "exec", "file", "console"])
        #expect(c.receiver(named: "robots")?.targets.first == "robots/wecom/0")
        if case .wecom(let r) = robots[0] {
            #expect(r.url.host == "qyapi.weixin.qq.com" && r.mentionMobiles == ["13800000000"] && r.language == .zhCN && r.secret == nil)
        } else { Issue.record("wecom") }
        if case .dingtalk(let r) = robots[1] { #expect(r.secret == "SECabc" && !r.sendResolved && r.timeout == 5) } else { Issue.record("dingtalk") }
        if case .feishu(let r) = robots[2] { #expect(r.secret == "fs" && r.language == .en && r.timeout == 10) } else { Issue.record("feishu") }
        if case .alertmanager(let a) = robots[3] {
            #expect(a.url.absoluteString == "http://127.0.0.1:9093" && a.resendInterval == 60 && a.timeout == 3)
        } else { Issue.record("alertmanager") }
        if case .exec(let e) = robots[4] { #expect(e.command == ["/usr/local/bin/page", "--urgent"] && e.timeout == 10 && !e.sendResolved) } else { Issue.record("exec") }
        if case .file(let f) = robots[5] { #expect(f.path == "var/notifications.jsonl") } else { Issue.record("file") }
        if case .console(let k) = robots[6] { #expect(k.language == .en) } else { Issue.record("console") }
        #expect(c.receiver(named: "nobody")?.integrations.isEmpty == true, "a receiver without integrations is allowed")
    }

    @Test func inhibitRulesWindowsAndDeliverySettings() throws {
        let c = try loadExample()
        #expect(c.inhibitRules.count == 2)
        #expect(try c.inhibitRules[0].sourceMatchers == [LabelMatcher(parsing: #"severity="critical""#)])
        #expect(try c.inhibitRules[0].targetMatchers == [LabelMatcher(parsing: #"severity="warning""#)] && c.inhibitRules[0].equal == ["station"])
        #expect(try c.inhibitRules[1].sourceMatchers == [LabelMatcher(name: "alertname", op: .equal, value: "deadman")])
        #expect(try c.inhibitRules[1].targetMatchers == [LabelMatcher(name: "alertname", op: .matchesRegex, value: ".+")] && c.inhibitRules[1].equal.isEmpty)

        let calibration = c.maintenanceWindows[0]
        #expect(try calibration.name == "calibration" && calibration.matchers == [LabelMatcher(parsing: #"station=~"qinghe-.*""#)])
        #expect(calibration.weekdays == [2, 6, 7] && calibration.times == [120..<240])
        #expect(calibration.location.identifier == "Asia/Shanghai")
        let overnight = c.maintenanceWindows[1]
        #expect(overnight.times == [1_320..<1_440, 0..<360] && overnight.weekdays.isEmpty && overnight.location.secondsFromGMT() == 0, "default UTC")

        #expect(c.retry.firstDelay == .seconds(1) && c.retry.maxDelay == .seconds(300) && c.retry.maxAge == 86_400)
        #expect(c.retention == 7 * 86_400 && c.templatesPath == "path/to/folder" && c.externalURL == "http://envmon.example/")
    }

    @Test func aMinimalSectionGetsTheDefaults() throws {
        let c = try fixture.load("notify:\n  route: {receiver: all}\n  receivers: [{name: all, console_configs: [{}]}]\n")
        #expect(c.route.receiver == "all" && c.route.routes.isEmpty)
        #expect(c.route.groupBy == .labels([]) && c.route.groupWait == 30 && c.route.groupInterval == 300 && c.route.repeatInterval == 14_400)
        #expect(c.retry == RetryPolicy() && c.retention == 7 * 86_400 && c.externalURL == nil && c.maintenanceWindows.isEmpty)
        guard case .console(let console) = c.receivers.first?.integrations.first else { Issue.record("console"); return }
        #expect(console.language == .zhCN)
        let tree = RouteTree(c)
        #expect(tree.match([:]) == [MatchedRoute(path: "0", receiver: "all", groupBy: .labels([]), groupWait: 30, groupInterval: 300, repeatInterval: 14_400)])
    }

    @Test func localMeansTheSystemZoneAndEmailRecipientsMayBeAList() throws {
        let c = try fixture.load(
            """
            notify:
              route: {receiver: mail}
              receivers:
                - name: mail
                  email_configs:
                    - {to: "a@example.org, b@example.org", smarthost: "[::1]:25"}
                    - {to: [c@example.org], smarthost: "smtp.example.org:587"}
              maintenance_windows:
                - {name: here, location: Local}
            """)
        guard case .email(let first) = c.receivers[0].integrations[0], case .email(let second) = c.receivers[0].integrations[1] else {
            Issue.record("email")
            return
        }
        #expect(first.to == ["a@example.org", "b@example.org"] && first.smarthost == "[::1]:25" && first.timeout == 30)
        #expect(second.to == ["c@example.org"])
        #expect(c.maintenanceWindows[0].location == TimeZone.current)
    }
}
