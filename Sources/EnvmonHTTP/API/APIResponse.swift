import Foundation
public import Hummingbird
import NIOCore

/// The answers API routes give: JSON (from a dictionary or an `Encodable`), CSV and plain text,
/// each with its content type.
public enum APIResponse {
    /// A JSON object or array built from Foundation values (`JSONSerialization`), keys sorted so
    /// answers are stable to compare.
    public static func json(_ object: Any, status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return body(data, type: "application/json", status: status)
    }

    /// An `Encodable` value as JSON.
    public static func json(encoding value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return body(try encoder.encode(value), type: "application/json", status: status)
    }

    /// JSON text already rendered (the reports' own JSON output).
    public static func jsonText(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        body(text, type: "application/json", status: status)
    }

    /// A CSV table, UTF-8.
    public static func csv(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        body(text, type: "text/csv; charset=utf-8", status: status)
    }

    /// A CSV table already in UTF-8 bytes.
    public static func csv(utf8 bytes: [UInt8], status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/csv; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// Plain text, UTF-8.
    public static func text(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        body(text, type: "text/plain; charset=utf-8", status: status)
    }

    /// No body (204 by default).
    public static func empty(status: HTTPResponse.Status = .noContent, headers: HTTPFields = [:]) -> Response {
        Response(status: status, headers: headers)
    }

    /// The JSON error answer of an ``APIError``.
    public static func error(_ error: APIError) -> Response {
        json(["error": ["code": error.code, "message": error.message]], status: HTTPResponse.Status(code: error.status))
    }

    /// Whether the client asked for CSV: `?format=csv` or an `Accept` that prefers `text/csv`.
    /// - Throws: ``APIError`` 400 for a `format` that is neither `json` nor `csv`.
    public static func wantsCSV(_ request: Request) throws -> Bool {
        if let format = request.uri.queryParameters.get("format") {
            switch format {
            case "csv": return true
            case "json": return false
            default: throw APIError.badParameter("format", "'\(format)' is not json or csv")
            }
        }
        guard let accept = request.headers[.accept] else { return false }
        let csv = accept.range(of: "text/csv")
        let json = accept.range(of: "application/json")
        switch (csv, json) {
        case (nil, _): return false
        case (_?, nil): return true
        case let (c?, j?): return c.lowerBound < j.lowerBound
        }
    }

    /// Rendered text, copied once into the response's buffer (through `Data` it was copied twice:
    /// a year's trend as JSON is 2 MB, and each copy of that size is fresh pages to fault in).
    private static func body(_ text: String, type: String, status: HTTPResponse.Status) -> Response {
        Response(status: status, headers: [.contentType: type], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    private static func body(_ data: Data, type: String, status: HTTPResponse.Status) -> Response {
        Response(status: status, headers: [.contentType: type], body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
