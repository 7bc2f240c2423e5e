/// A failed API request: its HTTP status, a stable code programs can test, and a message for people.
/// The ``APIRouter`` answers it as `{"error": {"code": "...", "message": "..."}}`.
///
/// Codes are stable: `badParameter`, `badBody`, `unauthorized`, `forbidden`, `notFound`,
/// `conflict`, `tooLarge`, `unavailable`, `internal`.
public struct APIError: Error, Sendable, CustomStringConvertible {
    /// The HTTP status.
    public var status: Int
    /// The stable code.
    public var code: String
    /// What went wrong, for people.
    public var message: String

    /// Creates an error.
    public init(_ status: Int, _ code: String, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    public var description: String { "\(status) \(code): \(message)" }

    /// 400: a query parameter or body field is wrong; the message names it.
    public static func badParameter(_ name: String, _ why: String) -> APIError { APIError(400, "badParameter", "\(name): \(why)") }
    /// 400: the body is not what the route reads.
    public static func badBody(_ why: String) -> APIError { APIError(400, "badBody", why) }
    /// 404: what the path names does not exist.
    public static func notFound(_ what: String) -> APIError { APIError(404, "notFound", what) }
    /// 409: the change conflicts with the current state.
    public static func conflict(_ why: String) -> APIError { APIError(409, "conflict", why) }
    /// 413: the body is larger than the route takes.
    public static func tooLarge(_ why: String) -> APIError { APIError(413, "tooLarge", why) }
    /// 503: the daemon cannot serve this now (shutting down, the store unavailable).
    public static func unavailable(_ why: String) -> APIError { APIError(503, "unavailable", why) }
}
