import Collectors
import Foundation
import HTTPTypes

/// `POST /api/v1/readings`: readings as JSON (``ReadingsJSON``), stored through ``ReadingWriter``.
///
/// - 200 `{"stored": n, "rejected": [{"index", "reason", "message"}]}` when every item could be
///   read: `rejected` lists the readings the checks refused (an unknown station, a value out of
///   range, …; HJ 212's reason codes), the others are stored;
/// - 400 `{"error": {"code": "badReadings", "message"}, "stored": n, "rejected": [...]}` when
///   some items could not be read (reason `malformed`, naming the field): the readable ones are
///   stored all the same, and listed as above;
/// - 400 `{"error": {"code": "badBody", …}}` when the body is not a list of readings; 413 over the limit;
/// - 500 `{"error": {"code": "storeFailed", …}}` when the store could not commit: nothing is stored.
struct ReadingsPost: Sendable {
    let readings: ReadingWriter
    let zone: @Sendable (String) -> TimeZone?

    /// An answer: a status and a JSON object.
    struct Answer: @unchecked Sendable {
        var status: HTTPResponse.Status
        /// A JSON object (made of JSONSerialization's types; not mutated once made).
        var body: [String: Any]
    }

    func answer(body: Data) async -> Answer {
        let batch: ReadingsJSON.Batch
        do {
            batch = try ReadingsJSON.parse(body, zone: zone)
        } catch {
            readings.metrics.rejected(.malformed)
            return Answer(status: .badRequest, body: ["error": ["code": "badBody", "message": error.message]])
        }
        readings.metrics.rejected(.malformed, count: batch.errors.count)
        let result: ReadingWriter.Result
        do {
            result = try await readings.write(batch.readings)
        } catch {
            readings.metrics.rejected(.storeFailed, count: batch.readings.count)
            return Answer(
                status: .internalServerError,
                body: ["error": ["code": "storeFailed", "message": "the store could not commit the readings, none is stored: \(error)"]])
        }
        var rejected: [(index: Int, reason: String, message: String)] = batch.errors.map { ($0.index, "malformed", $0.message) }
        rejected += result.refusals.map { (batch.indices[$0.index], $0.reason.code, $0.message) }
        rejected.sort { $0.index < $1.index }
        var object: [String: Any] = [
            "stored": result.stored,
            "rejected": rejected.map { ["index": $0.index, "reason": $0.reason, "message": $0.message] as [String: Any] },
        ]
        guard batch.errors.isEmpty else {
            object["error"] = [
                "code": "badReadings",
                "message": "\(batch.errors.count) of \(batch.count) readings cannot be read: "
                    + batch.errors.prefix(5).map(\.description).joined(separator: "; ") + (batch.errors.count > 5 ? "; …" : ""),
            ]
            return Answer(status: .badRequest, body: object)
        }
        return Answer(status: .ok, body: object)
    }
}
