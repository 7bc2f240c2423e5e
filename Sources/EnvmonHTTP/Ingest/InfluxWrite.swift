import Collectors
import Foundation
import HTTPTypes

/// InfluxDB 1.x's `POST /write`, answered as InfluxDB answers (its status codes and its
/// `{"error": "..."}` bodies), storing through ``ReadingWriter``:
///
/// - 204 when every line was stored (an empty body too);
/// - 400 `database is required` without `db` (any name is accepted: envmon has one store);
/// - 400 `unable to parse '…': … (line N)` (one line per fault) when no line parses;
/// - 400 `partial write: … dropped=N` when some lines or readings were refused: the others ARE
///   stored, and the message names each refused one (the first ``listedFaults``);
/// - 413 when the body (or what it inflates to) is over the limit;
/// - 500 when the store could not commit: nothing of the request is stored.
///
/// It answers only after the commit that holds the stored readings.
struct InfluxWrite: Sendable {
    let readings: ReadingWriter
    let maxBodyBytes: Int
    let now: @Sendable () -> Int64

    /// How many faults a `partial write` message names; the count says how many there were.
    static let listedFaults = 100

    /// An answer: a status and, unless 204, InfluxDB's error object.
    struct Answer: Sendable, Equatable {
        var status: HTTPResponse.Status
        var error: String?
    }

    /// Answers a request whose body has been read.
    /// - Parameters:
    ///   - db: the `db` parameter.
    ///   - precision: the `precision` parameter.
    ///   - gzip: whether the body is `Content-Encoding: gzip`.
    ///   - backfill: history (`backfill=true`, as `envmon import` sends): no `max_past`.
    ///   - body: the bytes as received.
    func answer(db: String?, precision: String?, gzip: Bool, backfill: Bool = false, body: [UInt8]) async -> Answer {
        guard let db, !db.isEmpty else { return Answer(status: .badRequest, error: "database is required") }
        guard let precision = LineProtocolPrecision(parameter: precision) else {
            return Answer(status: .badRequest, error: "invalid precision '\(precision ?? "")': one of ns, u, ms, s, m, h")
        }
        var text = body
        if gzip {
            do {
                text = try Gunzip.inflate(body, limit: maxBodyBytes)
            } catch .tooLarge {
                return Answer(status: .contentTooLarge, error: "request body too large: over \(maxBodyBytes) bytes once inflated")
            } catch {
                guard case .corrupt(let why) = error else { return Answer(status: .badRequest, error: "the gzip body does not inflate") }
                return Answer(status: .badRequest, error: "the gzip body does not inflate: \(why)")
            }
        }
        let batch = LineProtocol.parse(text, precision: precision, now: now())
        let metrics = readings.metrics
        metrics.rejected(.malformed, count: batch.errors.count)
        if batch.readings.isEmpty && !batch.errors.isEmpty {
            return Answer(status: .badRequest, error: Self.list(batch.errors.map(\.description), total: batch.errors.count))
        }
        let result: ReadingWriter.Result
        do {
            result = try await readings.write(batch.readings, backfill: backfill)
        } catch {
            metrics.rejected(.storeFailed, count: batch.readings.count)
            return Answer(status: .internalServerError, error: "the store could not commit the batch, nothing of it is stored: \(error)")
        }
        if batch.errors.isEmpty && result.refusals.isEmpty { return Answer(status: .noContent) }
        // Faults in line order: the lines that did not parse and the readings refused.
        var faults: [(line: Int, text: String)] = batch.errors.map { ($0.line, $0.description) }
        faults += result.refusals.map { (batch.lines[$0.index], "\($0.reason.code): \($0.message) (line \(batch.lines[$0.index]))") }
        faults.sort { $0.line < $1.line }
        let dropped = batch.errors.count + result.refusals.count
        return Answer(status: .badRequest, error: "partial write: \(Self.list(faults.map(\.text), total: faults.count)) dropped=\(dropped)")
    }

    /// The first ``listedFaults`` messages, one a line, and how many more there are.
    static func list(_ messages: [String], total: Int) -> String {
        let shown = messages.prefix(listedFaults).joined(separator: "\n")
        return total > listedFaults ? shown + "\n… and \(total - listedFaults) more" : shown
    }
}
