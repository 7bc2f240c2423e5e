/// The response and body schemas of the OpenAPI document (JSON Schema 2020-12, as OpenAPI 3.1 takes).
/// (`nonisolated(unsafe)`: constants of Foundation values, never changed.)
enum OpenAPISchemas {
    static func object(_ properties: [String: Any], required: [String] = []) -> [String: Any] {
        var o: [String: Any] = ["type": "object", "properties": properties]
        if !required.isEmpty { o["required"] = required }
        return o
    }
    static func array(_ items: [String: Any]) -> [String: Any] { ["type": "array", "items": items] }
    static func ref(_ name: String) -> [String: Any] { ["$ref": "#/components/schemas/\(name)"] }
    nonisolated(unsafe) static let string: [String: Any] = ["type": "string"]
    nonisolated(unsafe) static let time: [String: Any] = ["type": "string", "format": "date-time"]
    nonisolated(unsafe) static let number: [String: Any] = ["type": "number"]
    nonisolated(unsafe) static let integer: [String: Any] = ["type": "integer"]
    nonisolated(unsafe) static let boolean: [String: Any] = ["type": "boolean"]
    static func nullable(_ type: String) -> [String: Any] { ["type": [type, "null"]] }

    nonisolated(unsafe) static let station: [String: Any] = object(
        [
            "id": string, "name": string, "kind": string, "timeZone": string, "expectedInterval": integer,
            "status": ["type": "string", "enum": ["online", "late", "offline"]], "lastReading": nullable("string"), "activeAlerts": integer,
            "labels": ["type": "object", "additionalProperties": string],
            "latest": array(
                object(["parameter": string, "value": number, "unit": string, "flag": string, "time": time, "kind": string])),
            "parameters": array(
                object([
                    "id": string, "name": string, "nameZH": string, "unit": string,
                    "limits": array(object(["basis": string, "max": number, "min": number, "source": string])),
                ])),
        ], required: ["id", "name", "kind", "status", "lastReading", "activeAlerts", "latest"])

    nonisolated(unsafe) static let alert: [String: Any] = object([
        "rule": string, "station": string, "parameter": string, "state": string, "since": time, "started": time, "value": number,
        "peak": number, "episode": integer, "acknowledged_by": string,
    ])
    nonisolated(unsafe) static let transition: [String: Any] = object([
        "rule": string, "station": string, "parameter": string, "from": string, "to": string, "at": time, "reason": string, "value": number,
    ])
    nonisolated(unsafe) static let episode: [String: Any] = object([
        "id": integer, "rule": string, "station": string, "parameter": string, "state": string, "started": time, "fired": time,
        "ended": time, "duration_s": integer, "peak": number, "severity": string, "acknowledged_by": string,
        "coverage": object(["unit": string, "above": integer, "within": integer, "no_data": integer]),
    ])
    nonisolated(unsafe) static let silence: [String: Any] = object([
        "id": integer, "matchers": array(string), "startsAt": time, "endsAt": time, "createdBy": string, "comment": string, "createdAt": time,
    ])

    nonisolated(unsafe) static let all: [String: Any] = [
        "Error": object(["error": object(["code": string, "message": string], required: ["code", "message"])], required: ["error"]),
        "Document": ["type": "object", "description": "An OpenAPI 3.1 document"],
        "StationList": object(["asOf": time, "stations": array(ref("Station"))]),
        "Station": station,
        "StationAnswer": object(["asOf": time, "station": ref("Station")]),
        "SeriesList": object([
            "series": array(object(["station": string, "parameter": string, "kind": string, "unit": nullable("string"), "first": time, "last": time, "count": integer]))
        ]),
        "QueryResult": object(
            [
                "station": string, "parameter": string, "unit": string, "kind": string, "from": time, "to": time, "step": string, "agg": string,
                "rows": array(
                    object([
                        "time": time, "end": time, "value": nullable("number"), "count": integer, "readings": integer, "expected": integer,
                        "flags": string, "partial": boolean, "flag": string,
                    ])),
            ], required: ["station", "parameter", "unit", "kind", "rows"]),
        "AlertList": object(["undelivered_notifications": integer, "active": array(alert), "recent": array(transition)]),
        "EpisodeList": object(["from": time, "to": time, "episodes": array(episode)]),
        "TransitionList": object(["transitions": array(transition)]),
        "AckBody": object(["by": string, "comment": string], required: ["by"]),
        "AckAnswer": object(["episode": object(["id": integer, "rule": string, "station": string, "parameter": string, "startedAt": time, "acknowledgedBy": string])]),
        "SilenceList": object(["silences": array(silence)]),
        "SilenceBody": object(
            ["matchers": array(string), "startsAt": time, "endsAt": time, "createdBy": string, "comment": string], required: ["matchers", "endsAt"]),
        "SilenceAnswer": object(["silence": silence]),
        "ExpiredAnswer": object(["expired": integer]),
        "Report": ["type": "object", "description": "The report's JSON, as `envmon report … --format json` prints it"],
        "CaseList": ["type": "array", "items": ["type": "object"], "description": "The register, as `envmon cases list --format json` prints it"],
        "Case": ["type": "object", "description": "A case with its history, as `envmon cases show ID --format json` prints it"],
        "CaseNote": object(
            [
                "text": string, "evidence": array(string), "status": ["type": "string", "enum": ["in-progress", "done"]],
                "date": ["type": "string", "format": "date"], "by": string,
            ], required: ["text"]),
        "CaseClose": object(["note": string, "evidence": array(string), "date": ["type": "string", "format": "date"], "by": string], required: ["note"]),
        "CaseReopen": object(["note": string, "by": string], required: ["note"]),
        "ReadingsBody": object([
            "readings": array(
                object(
                    ["station": string, "parameter": string, "time": string, "value": number, "flag": string, "kind": string],
                    required: ["station", "parameter", "time", "value"]))
        ]),
        "ReadingsAnswer": object([
            "stored": integer, "rejected": array(object(["index": integer, "reason": string, "message": string])), "error": string,
        ]),
    ]
}
