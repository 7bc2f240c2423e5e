import Foundation

/// The OpenAPI 3.1 document of the API, served at `GET /api/v1/openapi.json`. A route added to
/// the ``APIRouter`` must be documented in ``operations`` (a test compares the two both ways,
/// with each route's role against the document's security).
public enum OpenAPIDocument {
    typealias P = OpenAPIOperation.Parameter

    static let range: [P] = [
        .query("from", "Start: a local date (its whole day), an ISO 8601 time (inclusive), or now-7d, now-36h, now-15m"),
        .query("to", "End: a local date (included), an ISO 8601 time (exclusive), or now, now-1h"),
    ]
    static let lang = P.query("lang", "The reports' language", values: ["zh-CN", "en"])
    static let format = P.query("format", "json (default) or csv; Accept: text/csv does the same", values: ["json", "csv"])
    static let period: [P] = [
        .query("year", "A calendar year, YYYY"), .query("month", "A calendar month, YYYY-MM"),
        .query("from", "The first local date, YYYY-MM-DD (with to)"), .query("to", "The last local date, inclusive, YYYY-MM-DD (with from)"),
    ]
    static let alertFilter: [P] = [
        .query("station", "Only this station", repeated: true), .query("rule", "Only this rule", repeated: true),
    ]

    /// Every operation of the API.
    public static let operations: [OpenAPIOperation] = [
        .init("get", "/api/v1/openapi.json", role: nil, "This document", response: "Document"),
        .init(
            "get", "/api/v1/stations", role: .read, "Every station with its status, latest values and active alerts",
            parameters: [.query("kind", "Only stations of this kind"), format], response: "StationList", csv: true),
        .init(
            "get", "/api/v1/stations/{id}", role: .read, "One station with its status, parameters, limits and latest values",
            parameters: [.path("id", "The station id")], response: "StationAnswer"),
        .init(
            "get", "/api/v1/series", role: .read, "The stored series with their first and last times",
            parameters: [.query("station", "Only this station"), .query("count", "true: count each series' readings (slower)"), format],
            response: "SeriesList", csv: true),
        .init(
            "get", "/api/v1/query", role: .read, "A series' raw readings, or its aggregates by step, with valid counts",
            parameters: [
                .query("station", "The station id", required: true), .query("parameter", "The parameter id (PM2.5, COD, NH3-N)", required: true),
            ] + range + [
                .query("step", "Bucket length: 1m, 15m, 1h, 1d, 7d… (omit for raw readings)"),
                .query("agg", "The aggregate of each bucket", values: ["avg", "min", "max", "sum", "count", "flow-weighted"]),
                .query("kind", "The series kind (default: the one stored)", values: ["realtime", "minute", "hour", "day"]),
                .query("flow", "The flow parameter of agg=flow-weighted (default: the station's)"),
                .query("format", "json (default), csv (Accept: text/csv does the same), or table: envmon query's text", values: ["json", "csv", "table"]),
            ], response: "QueryResult", csv: true),
        .init(
            "get", "/api/v1/alerts", role: .read, "Active alerts; state=all adds the recent transitions",
            parameters: [.query("state", "active (default) or all", values: ["active", "all"])] + range + alertFilter, response: "AlertList"),
        .init(
            "get", "/api/v1/alerts/episodes", role: .read, "Alert episodes overlapping a range, with their coverage",
            parameters: range + alertFilter, response: "EpisodeList"),
        .init(
            "get", "/api/v1/alerts/history", role: .read, "Alert state transitions, newest first",
            parameters: range + alertFilter + [.query("limit", "At most this many (default 1000)")], response: "TransitionList"),
        .init(
            "post", "/api/v1/alerts/episodes/{id}/ack", role: .operate, "Acknowledge an alert episode",
            parameters: [.path("id", "The episode id")], response: "AckAnswer", body: "AckBody"),
        .init(
            "get", "/api/v1/silences", role: .read, "The silences in force (all=true: ended ones too)",
            parameters: [.query("all", "true: ended silences too")], response: "SilenceList"),
        .init("post", "/api/v1/silences", role: .operate, "Create a silence", response: "SilenceAnswer", body: "SilenceBody", status: 201),
        .init(
            "delete", "/api/v1/silences/{id}", role: .operate, "Expire a silence", parameters: [.path("id", "The silence id")],
            response: "ExpiredAnswer"),
        .init(
            "get", "/api/v1/reports/air", role: .read, "The ambient-air evaluation (HJ 663) of sites and their city",
            parameters: period + [
                .query("site", "A site by station id", repeated: true), .query("label", "Sites carrying this label, KEY=VALUE", repeated: true),
                .query("grade", "GB 3095 grade", values: ["1", "2"]), lang, format,
            ], response: "Report", csv: true),
        .init(
            "get", "/api/v1/reports/water", role: .read, "The section month: each surface-water section's class against its target",
            parameters: period + [
                .query("section", "A section by station id", repeated: true), .query("label", "Sections carrying this label", repeated: true), lang,
                format,
            ], response: "Report", csv: true),
        .init(
            "get", "/api/v1/reports/load", role: .read, "Emission loads against the yearly allowances",
            parameters: [
                .query("from", "The first local date (default: 1 January)"), .query("to", "The last local date, inclusive (default: yesterday)"),
                .query("station", "An outlet or stack", repeated: true),
                .query("pollutant", "COD, NH3-N, TN, TP, SO2, NOx or Dust", repeated: true),
                .query("by", "Group by station (default) or a station label"), lang, format,
            ], response: "Report", csv: true),
        .init(
            "get", "/api/v1/reports/scorecard", role: .read, "The year's indicators against their targets",
            parameters: [.query("year", "The year", required: true), .query("asOf", "The last local date the figures cover"), lang, format],
            response: "Report", csv: true),
        .init(
            "get", "/api/v1/reports/exceedance-days", role: .read, "A station's days above the GB 3095 24-hour limit",
            parameters: [
                .query("station", "The station id", required: true), .query("parameter", "The pollutant", required: true),
                .query("from", "The first local date"), .query("to", "The last local date, inclusive"),
                .query("grade", "GB 3095 grade", values: ["1", "2"]), .query("kind", "The series kind", values: ["realtime", "minute", "hour"]),
                format,
            ], response: "Report", csv: true),
        .init(
            "get", "/api/v1/cases", role: .read, "The case register, filtered, now or as of a date",
            parameters: [
                .query("status", "open, in-progress, done, closed", repeated: true),
                .query("source", "central-inspection, provincial-inspection, complaint, alert", repeated: true),
                .query("unit", "The responsible unit"), .query("overdue", "true: only cases past their deadline"),
                .query("asOf", "The register at the end of this local date"), lang, format,
            ], response: "CaseList", csv: true),
        .init(
            "get", "/api/v1/cases/{id}", role: .read, "One case with its full history", parameters: [.path("id", "The case id"), lang],
            response: "Case"),
        .init(
            "post", "/api/v1/cases/{id}/notes", role: .operate, "Add a progress note, which may move the case to in-progress or done",
            parameters: [.path("id", "The case id")], response: "Case", body: "CaseNote", status: 201),
        .init(
            "post", "/api/v1/cases/{id}/close", role: .operate, "Close a done case (销号) with the verification note",
            parameters: [.path("id", "The case id")], response: "Case", body: "CaseClose"),
        .init(
            "post", "/api/v1/cases/{id}/reopen", role: .operate, "Reopen a done or closed case, saying why",
            parameters: [.path("id", "The case id")], response: "Case", body: "CaseReopen"),
        .init(
            "post", "/api/v1/readings", role: .ingest, "Write readings as JSON, checked and committed as HJ 212's are",
            response: "ReadingsAnswer", body: "ReadingsBody"),
        .init(
            "post", "/write", role: .ingest,
            "InfluxDB 1.x line protocol (204 when all is stored; 400 partial write with the good lines stored); errors are InfluxDB's {\"error\": \"...\"}",
            parameters: [
                .query("db", "Any name (required, as InfluxDB 1.x)", required: true),
                .query("precision", "The timestamps' unit (default ns)", values: ["ns", "u", "us", "ms", "s", "m", "h"]),
                .query("backfill", "true: older readings than hj212.max_past are taken (role admin)"),
                .query("u", "InfluxDB 1.x user (ignored)"), .query("p", "The token, InfluxDB 1.x style"),
            ], response: "", status: 204),
        .init("get", "/ping", role: nil, "InfluxDB 1.x ping: 204 with X-Influxdb-Version", response: "", status: 204),
        .init("head", "/ping", role: nil, "InfluxDB 1.x ping: 204 with X-Influxdb-Version", response: "", status: 204),
        .init("get", "/metrics", role: .read, "The daemon's figures in Prometheus text format 0.0.4", response: ""),
    ]

    /// The document as a JSON object (`JSONSerialization` values).
    public static func object(operations: [OpenAPIOperation] = operations) -> [String: Any] {
        var paths: [String: [String: Any]] = [:]
        for op in operations {
            paths[op.path, default: [:]][op.method] = operation(op)
        }
        return [
            "openapi": "3.1.0",
            "info": [
                "title": "envmon API", "version": "1",
                "description":
                    "Stations, series, queries, alerts, reports and cases of envmon. Times are ISO 8601 with offsets; errors are {\"error\": {\"code\", \"message\"}} with stable codes.",
            ],
            "paths": paths,
            "components": [
                "securitySchemes": [
                    "bearer": [
                        "type": "http", "scheme": "bearer",
                        "description": "A token of http.tokens (or the daemon's local token); also Authorization: Token T, basic auth with the token as the password, or ?p=T",
                    ]
                ],
                "schemas": OpenAPISchemas.all,
            ],
        ]
    }

    /// The document's JSON text.
    public static var json: String {
        let data = (try? JSONSerialization.data(withJSONObject: object(), options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    private static func operation(_ op: OpenAPIOperation) -> [String: Any] {
        var content: [String: Any] = ["application/json": ["schema": ["$ref": "#/components/schemas/\(op.response)"]]]
        if op.csv { content["text/csv"] = ["schema": ["type": "string"]] }
        // No schema: an empty answer (204) or text (/metrics).
        let success: [String: Any] = op.response.isEmpty ? ["description": op.summary] : ["description": op.summary, "content": content]
        var responses: [String: Any] = [
            String(op.status): success,
            "400": error("A parameter is wrong; the message names it (code badParameter)"),
            "404": error("Not found (code notFound)"),
        ]
        if op.role != nil {
            responses["401"] = error("No token, or a token the daemon does not know (code unauthorized)")
            responses["403"] = error("The token's role does not grant this route (code forbidden)")
        }
        if op.method != "get" { responses["409"] = error("The change conflicts with the current state (code conflict)") }
        var object: [String: Any] = [
            "summary": op.summary,
            "operationId": op.method + op.path.split(separator: "/").map { $0.replacingOccurrences(of: "{", with: "by-").replacingOccurrences(of: "}", with: "") }
                .joined(separator: "-"),
            "parameters": op.parameters.map(parameter),
            "responses": responses,
            "security": op.role == nil ? [] : [["bearer": []]],
            "x-envmon-role": op.role?.rawValue ?? "open",
        ]
        if let body = op.body {
            object["requestBody"] = ["required": true, "content": ["application/json": ["schema": ["$ref": "#/components/schemas/\(body)"]]]]
        }
        return object
    }

    private static func parameter(_ p: P) -> [String: Any] {
        var schema: [String: Any] = ["type": "string"]
        if !p.values.isEmpty { schema["enum"] = p.values }
        if p.repeated { schema = ["type": "array", "items": schema] }
        var object: [String: Any] = ["name": p.name, "in": p.location, "description": p.description, "required": p.required, "schema": schema]
        if p.repeated { object["explode"] = true }
        return object
    }

    private static func error(_ description: String) -> [String: Any] {
        ["description": description, "content": ["application/json": ["schema": ["$ref": "#/components/schemas/Error"]]]]
    }
}
