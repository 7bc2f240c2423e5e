public import Collectors
public import Foundation
import HTTPTypes
public import Hummingbird
import NIOCore

/// Ingest over HTTP: InfluxDB 1.x's `POST /write` and `GET|HEAD /ping`, and envmon's own
/// `POST /api/v1/readings` (JSON). Readings are checked as HJ 212's are, committed through the
/// store's one writer (so the rule engine evaluates them), and answered only after the commit.
///
/// ```swift
/// let readings = ReadingWriter(stations: book, submit: { try await writer.submitOutcomes($0, commitAtOnce: true) },
///                              now: WallClock.seconds, metrics: ReadingMetrics(source: "http"))
/// let listener = HTTPListener(configuration: settings.http, access: access,
///                             routes: [IngestRoutes(readings: readings, zone: { book.registry[$0]?.timeZone }, now: WallClock.seconds)], …)
/// ```
///
/// `/write` and `/api/v1/readings` need a token of role `ingest` (or `admin`); `/ping` is open.
/// `backfill=true` on `/write` (history: no `max_past`, as `envmon import` beside the daemon sends)
/// needs `admin`: the daemon's local token.
public struct IngestRoutes: HTTPRouteProvider {
    /// The version `/ping` and `/write` give in `X-Influxdb-Version`: the InfluxDB API envmon speaks.
    public static let influxVersion = "1.8.10-envmon"
    /// The default limit of a request body (and of what a gzip body inflates to): InfluxDB's 25 MB.
    public static let defaultMaxBodyBytes = 25 * 1_024 * 1_024

    private let write: InfluxWrite
    private let post: ReadingsPost
    private let maxBodyBytes: Int

    /// Creates the routes.
    /// - Parameters:
    ///   - readings: checks and stores the readings (its metrics are labelled `source="http"`).
    ///   - zone: a station's time zone (JSON times without an offset are its local time).
    ///   - maxBodyBytes: the largest body accepted (413 above it), also once inflated.
    ///   - now: the clock, seconds since the epoch: the time of lines without a timestamp.
    public init(
        readings: ReadingWriter, zone: @escaping @Sendable (String) -> TimeZone?, maxBodyBytes: Int = IngestRoutes.defaultMaxBodyBytes,
        now: @escaping @Sendable () -> Int64
    ) {
        self.write = InfluxWrite(readings: readings, maxBodyBytes: maxBodyBytes, now: now)
        self.post = ReadingsPost(readings: readings, zone: zone)
        self.maxBodyBytes = maxBodyBytes
    }

    public func addRoutes(to api: APIRouter) {
        api.get("/ping", role: nil, summary: "InfluxDB 1.x ping: 204 with X-Influxdb-Version") { _, _ in Self.ping }
        api.on(.head, "/ping", role: nil, summary: "InfluxDB 1.x ping: 204 with X-Influxdb-Version") { _, _ in Self.ping }
        api.post(
            "/write", role: .ingest,
            summary: "InfluxDB 1.x line protocol: db (any), precision ns|u|ms|s|m|h, gzip; 204, or 400 partial write naming each refused line",
            errors: .influx
        ) { request, _ in
            var request = request
            let query = request.uri.queryParameters
            let backfill = query.get("backfill") == "true"
            if backfill, Caller.current?.role != .admin {
                return Self.influx(InfluxWrite.Answer(status: .forbidden, error: "backfill=true (no max_past) needs a token of role admin"))
            }
            guard let body = await Self.body(of: &request, limit: maxBodyBytes) else {
                return Self.influx(InfluxWrite.Answer(status: .contentTooLarge, error: "request body too large: over \(maxBodyBytes) bytes"))
            }
            let gzip = request.headers[.contentEncoding]?.lowercased().contains("gzip") == true
            let answer = await write.answer(
                db: query.get("db"), precision: query.get("precision"), gzip: gzip, backfill: backfill, body: body)
            return Self.influx(answer)
        }
        api.post(
            "/api/v1/readings", role: .ingest,
            summary: "Readings as JSON {readings: [{station, parameter, time, value, flag?, kind?}]}: 200 {stored, rejected}, 400 naming bad items by index"
        ) { request, _ in
            var request = request
            guard let body = await Self.body(of: &request, limit: maxBodyBytes) else {
                throw APIError(413, "tooLarge", "the body is over \(maxBodyBytes) bytes")
            }
            return Self.json(await post.answer(body: Data(body)))
        }
    }

    /// The body, or nil when it is over the limit.
    private static func body(of request: inout Request, limit: Int) async -> [UInt8]? {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit { return nil }
        guard let buffer = try? await request.body.collect(upTo: limit) else { return nil }
        return Array(buffer.readableBytesView)
    }

    private static var ping: Response {
        Response(status: .noContent, headers: [.influxVersion: influxVersion])
    }

    private static func influx(_ answer: InfluxWrite.Answer) -> Response {
        guard let error = answer.error else { return Response(status: answer.status, headers: [.influxVersion: influxVersion]) }
        let data = (try? JSONSerialization.data(withJSONObject: ["error": error])) ?? Data(#"{"error":"?"}"#.utf8)
        return Response(
            status: answer.status, headers: [.contentType: "application/json", .influxVersion: influxVersion],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    private static func json(_ answer: ReadingsPost.Answer) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: answer.body, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Response(status: answer.status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension HTTPField.Name {
    /// `X-Influxdb-Version`.
    static let influxVersion = HTTPField.Name("X-Influxdb-Version")!
}
