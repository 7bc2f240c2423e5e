import Foundation
import Notifier
import Store
import Testing

/// The shipped texts say what people need in both languages; operators can replace any
/// template; broken templates are reported with their path.
@Suite struct MessageTemplatesTests {
    let templates = Fixtures.templates

    @Test func chineseTextsNameStationValueLimitAndSource() {
        let r = templates.render(Fixtures.message([Fixtures.cod()]), language: .zhCN)
        #expect(r.subject == "【告警】清河污水处理厂出口 COD 超标")
        for text in [r.text, r.html, r.markdown] {
            #expect(text.contains("清河污水处理厂出口"))
            #expect(text.contains("120 mg/L"))
            #expect(text.contains("90 mg/L"))
            #expect(text.contains("GB 18918-2002 一级A"))
            #expect(text.contains("2024-05-01 16:00 UTC+8"))
            #expect(text.contains("131.5 mg/L"))
            #expect(text.contains("严重"))
            #expect(text.contains("https://envmon.example/stations/WX0012"))
        }
        #expect(r.text.contains("COD 120 mg/L above 90 for 1h"))
        #expect(r.text.contains("COD above discharge limit"))
    }

    @Test func englishTextsToo() {
        let r = templates.render(Fixtures.message([Fixtures.cod()]), language: .en)
        #expect(r.subject == "[FIRING] 清河污水处理厂出口 COD above limit")
        for text in [r.text, r.html, r.markdown] {
            #expect(text.contains("120 mg/L"))
            #expect(text.contains("limit 90 mg/L") || text.contains("<td>90 mg/L"))
            #expect(text.contains("GB 18918-2002 一级A"))
            #expect(text.contains("Critical"))
        }
    }

    @Test func noDataIsNoDataAndResolvedIsRecovery() {
        let noData = templates.render(Fixtures.message([Fixtures.noData()]), language: .zhCN)
        #expect(noData.subject == "【无数据】沙河闸 无数据")
        #expect(noData.text.contains("自 2024-05-01 16:00 UTC+8 起无数据"))
        #expect(!noData.text.contains("超标"))
        #expect(templates.render(.subject, Fixtures.message([Fixtures.noData()]), language: .en) == "[NO DATA] 沙河闸: no data")
        #expect(templates.render(.text, Fixtures.message([Fixtures.noData()]), language: .en).contains("No data since 2024-05-01 16:00 UTC+8"))

        let resolved = templates.render(Fixtures.message([Fixtures.cod(status: .resolved)], status: .resolved), language: .zhCN)
        #expect(resolved.subject == "【恢复】清河污水处理厂出口 COD 已恢复")
        #expect(resolved.text.contains("已于 2024-05-01 18:00 UTC+8 恢复"))
    }

    /// An overdue rectification task reads as one: its id and title, days past its deadline,
    /// unit and leader, in Chinese with no English left over; not a value above a limit.
    @Test func anOverdueCaseNamesTheTaskItsDeadlineUnitAndLeader() {
        let overdue = AlertNotification(
            idempotencyKey: "case-overdue/*/SJ-2026-03/1", status: .firing, severity: .warning,
            labels: [
                "alertname": "case-overdue", "station": "*", "parameter": "SJ-2026-03", "case": "SJ-2026-03", "case_source": "provincial-inspection",
                "unit": "经济开发区管委会", "leader": "陈静（副市长）", "severity": "warning",
            ],
            annotations: [
                "summary": "Rectification task past its deadline", "value": "83", "deadline": "2026-09-15", "title": "经济开发区“散乱污”企业清理整顿",
                "description": "case SJ-2026-03 … is 83 days past its deadline 2026-09-15 (in-progress; unit 经济开发区管委会, leader 陈静（副市长）)",
                "state": "firing",
            ],
            startsAt: Fixtures.t0)
        let zh = templates.render(Fixtures.message([overdue]), language: .zhCN)
        #expect(zh.subject == "【告警】整改任务 SJ-2026-03 经济开发区“散乱污”企业清理整顿 逾期")
        #expect(zh.text.contains("已逾期83天（期限 2026-09-15）；责任单位：经济开发区管委会；包案领导：陈静（副市长）"), "\(zh.text)")
        #expect(zh.text.contains("整改任务逾期未完成"))
        #expect(!zh.text.contains("超标") && !zh.text.contains("past its deadline") && !zh.text.contains("当前值"), "\(zh.text)")
        let en = templates.render(Fixtures.message([overdue]), language: .en)
        #expect(en.subject == "[FIRING] Case SJ-2026-03 经济开发区“散乱污”企业清理整顿 overdue")
        #expect(en.text.contains("83 day(s) past its deadline 2026-09-15; unit: 经济开发区管委会; leader: 陈静（副市长）"))
    }

    @Test func severalAlertsAreCountedAndZonesComeFromTheLookup() throws {
        let message = Fixtures.message([Fixtures.cod(), Fixtures.cod(station: "WX0099")])
        #expect(templates.render(.subject, message, language: .zhCN) == "【告警】清河污水处理厂出口 COD 超标 等 2 条")
        #expect(templates.render(.subject, message, language: .en) == "[FIRING] 清河污水处理厂出口 COD above limit (+1 more)")
        let utc = try MessageTemplates(zone: { $0 == "WX0099" ? TimeZone(identifier: "UTC") : nil })
        let text = utc.render(.text, message, language: .zhCN)
        #expect(text.contains("2024-05-01 16:00 UTC+8"))
        #expect(text.contains("2024-05-01 08:00 UTC"))
    }

    @Test func htmlIsEscapedAndTextIsNot() {
        var n = Fixtures.cod()
        n.annotations["summary"] = "COD <b>&</b> \"high\""
        let r = templates.render(Fixtures.message([n]), language: .en)
        #expect(r.html.contains("COD &lt;b&gt;&amp;&lt;/b&gt; &quot;high&quot;"))
        #expect(!r.html.contains("<b>&</b>"))
        #expect(r.text.contains("COD <b>&</b> \"high\""))
    }

    @Test func anOverrideFolderReplacesATemplate() throws {
        let folder = NSTemporaryDirectory() + "envmon-templates-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "告警 {{#first}}{{stationName}} {{valueWithUnit}} & {{limitWithUnit}}{{/first}}".write(
            toFile: folder + "/subject.zh-CN.mustache", atomically: true, encoding: .utf8)
        let custom = try MessageTemplates(overridesFolder: folder)
        #expect(custom.overridden.keys.sorted() == ["subject.zh-CN.mustache"])
        let r = custom.render(Fixtures.message([Fixtures.cod()]), language: .zhCN)
        #expect(r.subject == "告警 清河污水处理厂出口 120 mg/L & 90 mg/L")
        #expect(r.text.hasPrefix("告警 清河污水处理厂出口 120 mg/L & 90 mg/L\n"))
        #expect(custom.render(.subject, Fixtures.message([Fixtures.cod()]), language: .en).hasPrefix("[FIRING]"))
    }

    @Test func aBrokenTemplateIsReportedWithItsPath() throws {
        let folder = NSTemporaryDirectory() + "envmon-templates-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/text.en.mustache"
        try "line one\n{{#alerts}}{{stationName}}{{/alert}}\n".write(toFile: path, atomically: true, encoding: .utf8)
        let error = #expect(throws: NotifierError.self) { try MessageTemplates(overridesFolder: folder) }
        #expect(error?.code == .badTemplate)
        #expect(error?.message.hasPrefix(path + ":2:") == true)
    }
}
