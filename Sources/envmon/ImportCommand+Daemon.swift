import Collectors
import EnvmonHTTP
import Foundation
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
import Monitoring
import Store

/// How `envmon import` writes beside a running daemon: through the daemon's own `/write`, as line
/// protocol in requests of ``linesPerRequest`` lines, ``inFlight`` at a time, so the readings are
/// committed by the daemon's one writer and evaluated by its rules like any others, and the
/// import never holds the store's write lock itself.
///
/// Values go in the station's stored unit (the importer has converted them), said by each line's
/// `unit` tag. The daemon answers each request after its commit; a refused request stops the
/// import (what was answered before it is stored).
struct DaemonImportWriter: Sendable {
    /// The daemon's base address (`http://127.0.0.1:9090`).
    let address: String
    /// The local token the daemon wrote beside the store (`<store>.token`), if any.
    let token: String?
    /// The stored unit of each series, by station and parameter.
    let units: [String: [String: MeasurementUnit]]

    static let linesPerRequest = Int(ProcessInfo.processInfo.environment["ENVMON_IMPORT_LINES"] ?? "") ?? 5_000
    static let inFlight = Int(ProcessInfo.processInfo.environment["ENVMON_IMPORT_IN_FLIGHT"] ?? "") ?? 3

    init(address: String, storePath: String, stations: StationRegistry) {
        self.address = address
        self.token = LocalToken.read(storePath: storePath)
        var units: [String: [String: MeasurementUnit]] = [:]
        for station in stations.stations {
            units[station.id] = Dictionary(station.parameters.map { ($0.parameter.id, $0.unit) }, uniquingKeysWith: { a, _ in a })
        }
        self.units = units
    }

    /// Sends samples and returns once the daemon has committed them all.
    func submit(_ samples: [Sample]) async throws -> WriteSummary {
        var requests: [[Sample]] = []
        var start = 0
        while start < samples.count {
            let end = min(samples.count, start + Self.linesPerRequest)
            requests.append(Array(samples[start..<end]))
            start = end
        }
        var summary = WriteSummary()
        try await withThrowingTaskGroup(of: WriteSummary.self) { group in
            var next = 0
            func launch() {
                let part = requests[next]
                next += 1
                group.addTask { try await post(part) }
            }
            while next < min(Self.inFlight, requests.count) { launch() }
            while let done = try await group.next() {
                summary.merge(done)
                if next < requests.count { launch() }
            }
        }
        return summary
    }

    /// One request: the samples' lines to `/write`; what the daemon stored and refused.
    private func post(_ samples: [Sample]) async throws -> WriteSummary {
        var body: [UInt8] = []
        body.reserveCapacity(samples.count * 96)
        var summary = WriteSummary()
        var sent = 0
        for sample in samples {
            // The importer made the samples against the same stations: a series without a unit
            // here is one the store would refuse as well.
            guard let unit = units[sample.series.station]?[sample.series.parameter] else {
                summary.unknownSeries += 1
                continue
            }
            LineProtocol.append(sample, unit: unit, to: &body)
            sent += 1
        }
        guard let url = URL(string: address + "/write?db=envmon&precision=s&backfill=true") else { throw CLIError("not an address: \(address)") }
        var request = URLRequest(url: url, timeoutInterval: 120)
        request.httpMethod = "POST"
        request.httpBody = Data(body)
        request.setValue("text/plain; charset=utf-8", forHTTPHeaderField: "Content-Type")
        if let token, !token.isEmpty { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let (data, response): (Data, URLResponse)
        do {
            (data, response) = try await URLSession.shared.data(for: request)
        } catch {
            throw CLIError("cannot reach the daemon at \(address): \(error)")
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        if status == 204 {
            // The daemon does not tell new readings from re-sent ones: all count as stored.
            summary.inserted = sent
            return summary
        }
        let message = ((try? JSONSerialization.jsonObject(with: data)) as? [String: Any])?["error"] as? String ?? String(decoding: data, as: UTF8.self)
        if status == 400, message.hasPrefix("partial write:"), let dropped = Self.dropped(in: message) {
            summary.inserted = sent - dropped
            summary.unknownSeries += dropped
            printError("envmon import: the daemon refused \(dropped) readings: \(message.prefix(600))")
            return summary
        }
        throw CLIError("the daemon refused a batch (HTTP \(status)): \(message.prefix(600))")
    }

    /// N of InfluxDB's `… dropped=N`.
    static func dropped(in message: String) -> Int? {
        guard let range = message.range(of: "dropped=", options: .backwards) else { return nil }
        return Int(message[range.upperBound...].prefix(while: \.isNumber))
    }
}
