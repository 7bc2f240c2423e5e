import EnvmonConfig
import EnvmonTesting
import Notifier
import Testing

/// Every kind of mistake in `notify:` stops start-up with `file:line:column: message`, the
/// message naming the thing, and all of them are reported in one pass.
@Suite struct NotifyConfigurationErrorTests {
    let fixture = NotifyFixture()

    /// A valid head for snippets whose mistake is further down (lines 1–4).
    static let head = """
        notify:
          route: {receiver: a}
          receivers:
            - name: a

        """

    @Test func unknownKeysAtEveryLevelNameTheKnownOnes() throws {
        try fixture.expectProblem(Self.head + "  retries: 3\n", .unknownField, line: 5, column: 3, "unknown key 'retries'", "known: route, receivers")
        try fixture.expectProblem(
            Self.head + """
                      webhook_configs:
                        - url: http://127.0.0.1:9000/
                          bearer: t
                """, .unknownField, line: 7, column: 11, "receiver 'a' webhook_configs[0]", "'bearer'", "bearer_token")
        try fixture.expectProblem(
            Self.head + "      pager_configs: []\n", .unknownField, line: 5, column: 7, "receivers[0]", "'pager_configs'", "webhook_configs")
        try fixture.expectProblem(
            """
            notify:
              receivers: [{name: a}]
              route:
                receiver: a
                routes:
                  - receiver: a
                    routes:
                      - recevier: a
            """, .unknownField, line: 8, column: 13, "route.routes[0].routes[0]", "'recevier'", "receiver")
        try fixture.expectProblem(
            Self.head + "  maintenance_windows: [{name: w, times: [{start: '01:00', end_time: '02:00'}]}]\n", .unknownField, line: 5, column: 44,
            "maintenance_windows[0].times[0]", "'start'", "start_time")
    }

    @Test func wrongTypes() throws {
        try fixture.expectProblem(
            "notify:\n  route: {receiver: a, group_by: station}\n  receivers: [{name: a}]\n", .wrongType, line: 2, column: 34,
            "route.group_by", "list")
        try fixture.expectProblem(
            "notify:\n  receivers: [{name: a}]\n  route:\n    receiver: a\n    routes: [{receiver: a, continue: maybe}]\n", .wrongType,
            line: 5, column: 38, "route.routes[0].continue", "true or false")
        try fixture.expectProblem("notify:\n  route: {receiver: a}\n  receivers: {name: a}\n", .wrongType, line: 3, column: 14, "receivers", "list")
        try fixture.expectProblem(Self.head + "      email_configs: {to: x@y}\n", .wrongType, line: 5, column: 22, "email_configs", "list")
        try fixture.expectProblem("notify: [route]\n", .wrongType, line: 1, column: 9, "notify", "mapping")
    }

    @Test func badAddresses() throws {
        try fixture.expectProblem(
            Self.head + "      webhook_configs: [{url: 'ftp://127.0.0.1/'}]\n", .badValue, line: 5, column: 31, "webhook_configs[0].url", "ftp://127.0.0.1/",
            "http or https")
        try fixture.expectProblem(
            Self.head + "      wecom_configs: [{url: 'http://'}]\n", .badValue, line: 5, column: 29, "wecom_configs[0].url", "with a host")
        try fixture.expectProblem(
            Self.head + "      email_configs: [{to: duty@example.org, smarthost: mail.example.org}]\n", .badValue, line: 5, column: 57,
            "email_configs[0].smarthost", "mail.example.org", "host:port")
        try fixture.expectProblem(
            Self.head + "      email_configs: [{to: duty@example.org}]\n", .missingField, line: 5, column: 23, "email_configs[0]", "'smarthost' is required")
        try fixture.expectProblem(Self.head + "  external_url: envmon.example\n", .badValue, line: 5, column: 17, "external_url")
    }

    @Test func receiversMustExistBeUniqueAndTheRootNeedsOne() throws {
        try fixture.expectProblem(
            """
            notify:
              route:
                receiver: a
                routes:
                  - routes:
                      - receiver: pagers
              receivers:
                - name: a
                - name: b
            """, .badValue, line: 6, column: 23, "receiver 'pagers' does not exist", "defined: a, b")
        try fixture.expectProblem(
            "notify:\n  route: {group_wait: 10s}\n  receivers: [{name: a}]\n", .missingField, line: 2, column: 3, "root route needs a receiver")
        try fixture.expectProblem(
            "notify:\n  route: {receiver: a}\n  receivers:\n    - name: a\n    - name: b\n    - name: a\n", .duplicateID, line: 6, column: 13,
            "receiver 'a' is already defined at line 4")
        try fixture.expectProblem("notify:\n  receivers: [{name: a}]\n", .missingField, line: 2, column: 3, "'route' is required")
        try fixture.expectProblem(
            "notify:\n  route: {receiver: a, matchers: ['x=\"y\"']}\n  receivers: [{name: a}]\n", .badValue, line: 2, column: 24,
            "root route", "cannot have matchers")
    }

    @Test func badMatchersUseTheMatchersOwnMessage() throws {
        try fixture.expectProblem(
            "notify:\n  receivers: [{name: a}]\n  route:\n    receiver: a\n    routes:\n      - matchers: ['severity']\n", .badValue, line: 6, column: 20,
            "route.routes[0].matchers[0]", #"matcher 'severity': expected name="value""#)
        try fixture.expectProblem(
            "notify:\n  receivers: [{name: a}]\n  route:\n    receiver: a\n    routes:\n      - match_re: {station: '('}\n", .badValue, line: 6, column: 29,
            "route.routes[0].match_re.station", "not a regular expression")
        try fixture.expectProblem(
            Self.head + "  inhibit_rules: [{source_matchers: ['1x=\"y\"'], target_matchers: ['a=\"b\"']}]\n", .badValue, line: 5, column: 38,
            "inhibit_rules[0].source_matchers[0]", "is not a label name")
    }

    @Test func badDurations() throws {
        try fixture.expectProblem(
            "notify:\n  route: {receiver: a, group_wait: 30 seconds}\n  receivers: [{name: a}]\n", .badValue, line: 2, column: 36,
            "route.group_wait", "'30 seconds' is not a duration")
        try fixture.expectProblem(
            "notify:\n  route: {receiver: a, repeat_interval: 0s}\n  receivers: [{name: a}]\n", .badValue, line: 2, column: 41, "route.repeat_interval",
            "at least 1 s")
        try fixture.expectProblem(Self.head + "      exec_configs: [{command: [x], timeout: 0s}]\n", .badValue, line: 5, column: 46, "exec_configs[0].timeout")
        try fixture.expectProblem(Self.head + "  retry: {first: 1m, max: 10s}\n", .badValue, line: 5, column: 27, "retry.max", "at least retry.first")
        try fixture.expectProblem(Self.head + "  retention: forever\n", .badValue, line: 5, column: 14, "retention")
    }

    @Test func badWindows() throws {
        try fixture.expectProblem(
            Self.head + "  maintenance_windows: [{name: w, location: Mars/Olympus}]\n", .badTimeZone, line: 5, column: 45, "location", "Mars/Olympus")
        try fixture.expectProblem(
            Self.head + "  maintenance_windows: [{name: w, weekdays: [monday, 'tuesday:funday']}]\n", .badValue, line: 5, column: 54, "weekdays[1]",
            "'tuesday:funday' is not a weekday")
        try fixture.expectProblem(
            Self.head + "  maintenance_windows: [{name: w, times: [{start_time: '25:00', end_time: '26:00'}]}]\n", .badValue, line: 5, column: 56,
            "times[0].start_time", "'25:00'")
        try fixture.expectProblem(
            Self.head + "  maintenance_windows: [{name: w, times: [{start_time: '22:00', end_time: '02:00'}]}]\n", .badValue, line: 5, column: 75,
            "times[0]", "two ranges")
        try fixture.expectProblem(Self.head + "  maintenance_windows: [{weekdays: [monday]}]\n", .missingField, line: 5, column: 25, "'name' is required")
    }

    @Test func unknownLanguagesAndUnreadableSecretFiles() throws {
        try fixture.expectProblem(
            Self.head + "      console_configs: [{language: fr}]\n", .badValue, line: 5, column: 36, "console_configs[0].language", "'fr'", "zh-CN, en")
        try fixture.expectProblem(
            Self.head + "      webhook_configs: [{url: 'http://h/', bearer_token_file: missing/token}]\n", .unreadable, line: 5, column: 63,
            "bearer_token_file", fixture.folder.file("missing/token"))
        try fixture.expectProblem(
            Self.head + "      webhook_configs: [{url: 'http://h/', hmac_secret: a, hmac_secret_file: b}]\n", .badValue, line: 5, column: 60,
            "hmac_secret or hmac_secret_file, not both")
    }

    @Test func everyProblemIsReportedInFileOrder() throws {
        let problems = try fixture.problems(
            """
            notify:
              route:
                receiver: ghost
                group_wait: soon
              receivers:
                - name: a
                  webhook_configs: [{url: nowhere, timeout: never}]
              colour: blue
            """)
        #expect(problems.map(\.line) == [3, 4, 7, 7, 8], "\(problems)")
        #expect(problems.map(\.code) == [.badValue, .badValue, .badValue, .badValue, .unknownField])
    }
}
