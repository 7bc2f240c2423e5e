/// The templates envmon ships, by file name: `subject`, `text`, `html` and `markdown` (robots),
/// each in `zh-CN` and `en`. A file of the same name in the `templates:` folder replaces one.
/// Every template but `html.*` renders without HTML escaping. The fields they can use are listed
/// on ``TemplateContext``.
enum ShippedTemplates {
    static let all: [String: String] = [
        "subject.zh-CN.mustache": subjectZH,
        "subject.en.mustache": subjectEN,
        "text.zh-CN.mustache": textZH,
        "text.en.mustache": textEN,
        "html.zh-CN.mustache": htmlZH,
        "html.en.mustache": htmlEN,
        "markdown.zh-CN.mustache": markdownZH,
        "markdown.en.mustache": markdownEN,
    ]

    static let subjectZH = """
        {{#firing}}【告警】{{/firing}}{{#noData}}【无数据】{{/noData}}{{#resolved}}【恢复】{{/resolved}}\
        {{#first}}{{stationName}}{{#parameter}} {{.}}{{/parameter}}{{/first}}\
        {{#firing}}{{^overdue}} 超标{{/overdue}}{{#overdue}} 逾期{{/overdue}}{{/firing}}{{#noData}} 无数据{{/noData}}{{#resolved}} 已恢复{{/resolved}}\
        {{#more}} 等 {{count}} 条{{/more}}
        """

    static let subjectEN = """
        {{#firing}}[FIRING] {{/firing}}{{#noData}}[NO DATA] {{/noData}}{{#resolved}}[RESOLVED] {{/resolved}}\
        {{#first}}{{stationName}}{{#parameter}} {{.}}{{/parameter}}{{/first}}\
        {{#firing}}{{^overdue}} above limit{{/overdue}}{{#overdue}} overdue{{/overdue}}{{/firing}}{{#noData}}: no data{{/noData}}{{#resolved}} back to normal{{/resolved}}\
        {{#more}} (+{{.}} more){{/more}}
        """

    static let textZH = """
        {{subject}}
        共 {{count}} 条，最高级别：{{severityText}}

        {{#alerts}}
        ■ {{stationName}}{{#parameter}} {{.}}{{/parameter}}（{{severityText}}）
        {{#caseText}}
          {{.}}
        {{/caseText}}
        {{#isFiring}}
        {{^isCase}}
          {{#valueWithUnit}}当前值 {{.}}{{/valueWithUnit}}{{#limitWithUnit}}，限值 {{.}}{{/limitWithUnit}}{{#source}}（{{.}}）{{/source}}
          超标开始：{{since}}{{#peakWithUnit}}，峰值 {{.}}{{/peakWithUnit}}
        {{/isCase}}
        {{/isFiring}}
        {{#isNoData}}
          自 {{since}} 起无数据{{#limitWithUnit}}（限值 {{.}}{{#source}}，{{.}}{{/source}}）{{/limitWithUnit}}
        {{/isNoData}}
        {{#isResolved}}
          已于 {{endedAt}} 恢复，始于 {{since}}{{#valueWithUnit}}，最近值 {{.}}{{/valueWithUnit}}{{#peakWithUnit}}，期间峰值 {{.}}{{/peakWithUnit}}
          {{#limitWithUnit}}限值 {{.}}{{#source}}（{{.}}）{{/source}}{{/limitWithUnit}}
        {{/isResolved}}
        {{#summary}}
          摘要：{{.}}
        {{/summary}}
        {{#description}}
          说明：{{.}}
        {{/description}}
        {{#link}}
          详情：{{.}}
        {{/link}}

        {{/alerts}}
        """

    static let textEN = """
        {{subject}}
        {{count}} alert(s), highest severity: {{severityText}}

        {{#alerts}}
        * {{stationName}}{{#parameter}} {{.}}{{/parameter}} ({{severityText}})
        {{#caseText}}
          {{.}}
        {{/caseText}}
        {{#isFiring}}
        {{^isCase}}
          {{#valueWithUnit}}Value {{.}}{{/valueWithUnit}}{{#limitWithUnit}}, limit {{.}}{{/limitWithUnit}}{{#source}} ({{.}}){{/source}}
          Exceeding since {{since}}{{#peakWithUnit}}, peak {{.}}{{/peakWithUnit}}
        {{/isCase}}
        {{/isFiring}}
        {{#isNoData}}
          No data since {{since}}{{#limitWithUnit}} (limit {{.}}{{#source}}, {{.}}{{/source}}){{/limitWithUnit}}
        {{/isNoData}}
        {{#isResolved}}
          Resolved at {{endedAt}}, started {{since}}{{#valueWithUnit}}, last value {{.}}{{/valueWithUnit}}{{#peakWithUnit}}, peak {{.}}{{/peakWithUnit}}
          {{#limitWithUnit}}Limit {{.}}{{#source}} ({{.}}){{/source}}{{/limitWithUnit}}
        {{/isResolved}}
        {{#summary}}
          Summary: {{.}}
        {{/summary}}
        {{#description}}
          Details: {{.}}
        {{/description}}
        {{#link}}
          Link: {{.}}
        {{/link}}

        {{/alerts}}
        """

    static let htmlZH = """
        <!DOCTYPE html>
        <html lang="zh-CN"><head><meta charset="utf-8"><title>{{subject}}</title></head>
        <body style="font-family: sans-serif">
        <h2>{{subject}}</h2>
        <p>共 {{count}} 条，最高级别：<b>{{severityText}}</b></p>
        {{#alerts}}
        <table style="border-collapse: collapse; margin-bottom: 1em" border="1" cellpadding="4">
        <tr><th colspan="2" align="left">{{stationName}}{{#parameter}} {{.}}{{/parameter}}（{{severityText}}）</th></tr>
        {{#isFiring}}
        {{#valueWithUnit}}<tr><td>当前值</td><td>{{.}}</td></tr>{{/valueWithUnit}}
        <tr><td>超标开始</td><td>{{since}}</td></tr>
        {{/isFiring}}
        {{#isNoData}}
        <tr><td>状态</td><td>自 {{since}} 起无数据</td></tr>
        {{/isNoData}}
        {{#isResolved}}
        <tr><td>恢复时间</td><td>{{endedAt}}（始于 {{since}}）</td></tr>
        {{#valueWithUnit}}<tr><td>最近值</td><td>{{.}}</td></tr>{{/valueWithUnit}}
        {{/isResolved}}
        {{#limitWithUnit}}<tr><td>限值</td><td>{{.}}{{#source}}（{{.}}）{{/source}}</td></tr>{{/limitWithUnit}}
        {{#peakWithUnit}}<tr><td>峰值</td><td>{{.}}</td></tr>{{/peakWithUnit}}
        {{#summary}}<tr><td>摘要</td><td>{{.}}</td></tr>{{/summary}}
        {{#description}}<tr><td>说明</td><td>{{.}}</td></tr>{{/description}}
        {{#link}}<tr><td>详情</td><td><a href="{{.}}">{{.}}</a></td></tr>{{/link}}
        </table>
        {{/alerts}}
        </body></html>
        """

    static let htmlEN = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>{{subject}}</title></head>
        <body style="font-family: sans-serif">
        <h2>{{subject}}</h2>
        <p>{{count}} alert(s), highest severity: <b>{{severityText}}</b></p>
        {{#alerts}}
        <table style="border-collapse: collapse; margin-bottom: 1em" border="1" cellpadding="4">
        <tr><th colspan="2" align="left">{{stationName}}{{#parameter}} {{.}}{{/parameter}} ({{severityText}})</th></tr>
        {{#isFiring}}
        {{#valueWithUnit}}<tr><td>Value</td><td>{{.}}</td></tr>{{/valueWithUnit}}
        <tr><td>Exceeding since</td><td>{{since}}</td></tr>
        {{/isFiring}}
        {{#isNoData}}
        <tr><td>State</td><td>No data since {{since}}</td></tr>
        {{/isNoData}}
        {{#isResolved}}
        <tr><td>Resolved at</td><td>{{endedAt}} (started {{since}})</td></tr>
        {{#valueWithUnit}}<tr><td>Last value</td><td>{{.}}</td></tr>{{/valueWithUnit}}
        {{/isResolved}}
        {{#limitWithUnit}}<tr><td>Limit</td><td>{{.}}{{#source}} ({{.}}){{/source}}</td></tr>{{/limitWithUnit}}
        {{#peakWithUnit}}<tr><td>Peak</td><td>{{.}}</td></tr>{{/peakWithUnit}}
        {{#summary}}<tr><td>Summary</td><td>{{.}}</td></tr>{{/summary}}
        {{#description}}<tr><td>Details</td><td>{{.}}</td></tr>{{/description}}
        {{#link}}<tr><td>Link</td><td><a href="{{.}}">{{.}}</a></td></tr>{{/link}}
        </table>
        {{/alerts}}
        </body></html>
        """

    static let markdownZH = """
        ### {{subject}}
        {{#alerts}}
        **{{stationName}}{{#parameter}} {{.}}{{/parameter}}**（{{severityText}}）
        {{#isFiring}}
        > 当前值：{{valueWithUnit}}{{#limitWithUnit}}，限值 {{.}}{{#source}}（{{.}}）{{/source}}{{/limitWithUnit}}
        > 超标开始：{{since}}{{#peakWithUnit}}，峰值 {{.}}{{/peakWithUnit}}
        {{/isFiring}}
        {{#isNoData}}
        > 自 {{since}} 起无数据
        {{/isNoData}}
        {{#isResolved}}
        > 已于 {{endedAt}} 恢复（始于 {{since}}）{{#peakWithUnit}}，期间峰值 {{.}}{{/peakWithUnit}}
        {{/isResolved}}
        {{#description}}
        > {{.}}
        {{/description}}
        {{#link}}
        [查看详情]({{.}})
        {{/link}}

        {{/alerts}}
        """

    static let markdownEN = """
        ### {{subject}}
        {{#alerts}}
        **{{stationName}}{{#parameter}} {{.}}{{/parameter}}** ({{severityText}})
        {{#isFiring}}
        > Value {{valueWithUnit}}{{#limitWithUnit}}, limit {{.}}{{#source}} ({{.}}){{/source}}{{/limitWithUnit}}
        > Exceeding since {{since}}{{#peakWithUnit}}, peak {{.}}{{/peakWithUnit}}
        {{/isFiring}}
        {{#isNoData}}
        > No data since {{since}}
        {{/isNoData}}
        {{#isResolved}}
        > Resolved at {{endedAt}} (started {{since}}){{#peakWithUnit}}, peak {{.}}{{/peakWithUnit}}
        {{/isResolved}}
        {{#description}}
        > {{.}}
        {{/description}}
        {{#link}}
        [Details]({{.}})
        {{/link}}

        {{/alerts}}
        """
}
