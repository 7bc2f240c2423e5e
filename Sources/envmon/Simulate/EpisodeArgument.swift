import Collectors
import EnvmonConfig
import Monitoring

/// An `--episode STATION:PARAM:FROM:DURATION:FACTOR` as typed, resolved per station once the
/// stations and their simulated starts are known.
///
/// * `STATION`: a station id, or `*` (or nothing) for every station reporting the parameter.
/// * `PARAM`: a catalogue id or alias (`COD`, `nh3-n`, `pm25`).
/// * `FROM`: an ISO 8601 time (without an offset: the station's local time; it may hold `:`), or
///   `+DURATION` after the station's simulated start (`+6h`).
/// * `DURATION`: `90m`, `2h`, …; `FACTOR`: what the values are multiplied by (> 0).
struct EpisodeArgument {
    enum From {
        case time(String)
        case afterStart(Int64)
    }

    var station: String?
    var parameter: String
    var from: From
    var duration: Int64
    var factor: Double

    init(_ text: String) throws {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 5 else {
            throw CLIError("--episode '\(text)': expected STATION:PARAM:FROM:DURATION:FACTOR (e.g. qinghe-wwtp-outlet:COD:+6h:2h:3)")
        }
        station = parts[0].isEmpty || parts[0] == "*" ? nil : parts[0]
        guard let p = ParameterCatalogue.standard.named(parts[1]) else {
            throw CLIError("--episode '\(text)': unknown parameter '\(parts[1])'")
        }
        parameter = p.id
        let fromText = parts[2..<(parts.count - 2)].joined(separator: ":")
        if fromText.hasPrefix("+") {
            guard let offset = DurationText.seconds(String(fromText.dropFirst())), offset >= 0 else {
                throw CLIError("--episode '\(text)': '\(fromText)' is not +DURATION (e.g. +6h)")
            }
            from = .afterStart(Int64(offset))
        } else {
            from = .time(fromText)
        }
        guard let d = DurationText.seconds(parts[parts.count - 2]), d > 0 else {
            throw CLIError("--episode '\(text)': '\(parts[parts.count - 2])' is not a duration (e.g. 2h)")
        }
        duration = Int64(d)
        guard let f = Double(parts[parts.count - 1]), f.isFinite, f > 0 else {
            throw CLIError("--episode '\(text)': the factor '\(parts[parts.count - 1])' must be a positive number")
        }
        factor = f
    }

    /// The episode at `station`, whose simulated time starts at `start`; `nil` when it concerns
    /// another station or a parameter the station does not report.
    func resolve(for station: Station, start: Int64) throws -> Episode? {
        if let id = self.station, id != station.id { return nil }
        guard station.parameter(parameter) != nil else { return nil }
        let begin: Int64
        switch from {
        case .afterStart(let offset):
            begin = start + offset
        case .time(let text):
            do {
                begin = try ISO8601Time.parse(text, in: ZoneCalendar(station.timeZone))
            } catch {
                throw CLIError("--episode: \(error)")
            }
        }
        return Episode(station: station.id, parameter: parameter, start: begin, duration: duration, factor: factor)
    }
}
