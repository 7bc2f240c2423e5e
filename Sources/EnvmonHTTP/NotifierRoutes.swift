public import Foundation
public import Hummingbird
import Monitoring
import NIOCore
public import Notifier
import Store

/// The notifier's part of the API: silences and acknowledgements, so the CLI (and later the
/// dashboard) change what is held through the daemon, which stays the store's one writer.
///
/// - `GET /api/v1/silences[?all=true]` → `{"silences": [...]}`
/// - `POST /api/v1/silences` `{"matchers": ["station=\"x\""], "startsAt"?, "endsAt", "createdBy", "comment"?}` → 201 `{"silence": {...}}`
/// - `DELETE /api/v1/silences/{id}` → 200 `{"expired": id}`, 404 when none is in force
/// - `POST /api/v1/alerts/episodes/{id}/ack` `{"by", "comment"?}` → 200 `{"episode": {...}}`, 404, 409 when it has ended
///
/// Times are ISO 8601 with an offset (without one: the bureau's zone, `reports.time_zone`, Beijing
/// time unless configured), and answers give them in that zone. Errors are
/// `{"error": {"code": "...", "message": "..."}}`. Listing needs the role `read`, changes `operate`.
public struct NotifierRoutes: HTTPRouteProvider {
    let handling: any AlertHandling
    private let timeZone: TimeZone
    private var calendar: ZoneCalendar { ZoneCalendar(timeZone) }

    /// Routes onto `handling` (the daemon's notifier), reading and writing times in `timeZone`
    /// (the bureau's, `reports.time_zone`: no default, so that no caller falls back to Beijing
    /// time unawares).
    public init(handling: any AlertHandling, timeZone: TimeZone) {
        self.handling = handling
        self.timeZone = timeZone
    }

    public func addRoutes(to api: APIRouter) {
        api.get("/api/v1/silences", role: .read, summary: "The silences in force (all=true: ended ones too)") { request, _ in
            let all = request.uri.queryParameters.get("all") == "true"
            return try await Self.answer {
                .json(["silences": try await handling.silences(includingEnded: all).map(json)])
            }
        }
        api.post("/api/v1/silences", role: .operate, summary: "Create a silence") { request, _ in
            try await Self.answer {
                let body = try await Self.object(request)
                guard let matchers = body["matchers"] as? [String] else { throw APIError(400, "badParameter", "matchers: a list of matcher texts is required") }
                guard let ends = body["endsAt"] as? String else { throw APIError(400, "badParameter", "endsAt: an ISO 8601 time is required") }
                let end = try time(ends, "endsAt")
                if body["startsAt"] != nil, !(body["startsAt"] is String) { throw APIError(400, "badParameter", "startsAt: an ISO 8601 time") }
                for key in ["createdBy", "comment"] where body[key] != nil && !(body[key] is String) {
                    throw APIError(400, "badParameter", "\(key): text")
                }
                let start = try (body["startsAt"] as? String).map { try time($0, "startsAt") }
                let by = body["createdBy"] as? String ?? Caller.current?.name ?? ""
                do {
                    let s = try await handling.silence(matchers: matchers, startsAt: start, endsAt: end, by: by, comment: body["comment"] as? String ?? "")
                    return .json(["silence": json(s)], status: .created)
                } catch let error as NotifierError {
                    throw APIError(400, error.code.description, error.message)
                }
            }
        }
        api.delete("/api/v1/silences/{id}", role: .operate, summary: "Expire a silence") { _, context in
            try await Self.answer {
                guard let id = context.parameters.get("id", as: Int64.self) else { throw APIError(400, "badParameter", "id: a silence id is a number") }
                guard try await handling.expireSilence(id) else { throw APIError(404, "notFound", "no silence \(id) in force") }
                return .json(["expired": id])
            }
        }
        api.post("/api/v1/alerts/episodes/{id}/ack", role: .operate, summary: "Acknowledge an alert episode") { request, context in
            try await Self.answer {
                guard let id = context.parameters.get("id", as: Int64.self) else { throw APIError(400, "badParameter", "id: an episode id is a number") }
                let body = try await Self.object(request)
                if body["by"] != nil, !(body["by"] is String) { throw APIError(400, "badParameter", "by: text") }
                // Who acknowledges: as given, else the token's name.
                guard let by = (body["by"] as? String).flatMap({ $0.isEmpty ? nil : $0 }) ?? Caller.current?.name else {
                    throw APIError(400, "badParameter", "by: who acknowledges is required")
                }
                do {
                    let e = try await handling.acknowledge(episode: id, by: by, comment: body["comment"] as? String ?? "")
                    return .json([
                        "episode": [
                            "id": e.id, "rule": e.key.rule, "station": e.key.station, "parameter": e.key.parameter,
                            "startedAt": calendar.iso8601(e.startedAt), "acknowledgedBy": by,
                        ] as [String: Any]
                    ])
                } catch let error as StoreError where error.code == .notFound {
                    throw APIError(404, "notFound", error.message)
                } catch let error as StoreError where error.code == .conflict {
                    throw APIError(409, "conflict", error.message)
                }
            }
        }
    }

    private func json(_ s: Silence) -> [String: Any] {
        [
            "id": s.id, "matchers": s.matchers, "startsAt": calendar.iso8601(s.startsAt), "endsAt": calendar.iso8601(s.endsAt),
            "createdBy": s.createdBy, "comment": s.comment, "createdAt": calendar.iso8601(s.createdAt),
        ]
    }

    private func time(_ text: String, _ name: String) throws -> Int64 {
        do { return try ISO8601Time.parse(text, in: calendar) } catch { throw APIError(400, "badParameter", "\(name): \(error)") }
    }

    private static func object(_ request: Request) async throws -> [String: Any] {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: 1 << 20)
        } catch {
            throw APIError(413, "tooLarge", "the body is larger than 1 MiB")
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) as? [String: Any] else {
            throw APIError(400, "badBody", "the body must be a JSON object")
        }
        return object
    }

    /// The answer `body` gives; an ``APIError`` it throws is answered by the ``APIRouter``.
    private static func answer(_ body: () async throws -> JSONAnswer) async throws -> Response {
        try await body().response
    }
}

/// A JSON answer.
enum JSONAnswer {
    case json([String: Any], status: HTTPResponse.Status = .ok)

    var response: Response {
        switch self {
        case .json(let object, let status):
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
            return Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
        }
    }
}
