import Foundation
public import Monitoring

/// Turns ``Reading``s into samples against the daemon's stations, with the checks of HJ 212
/// (``HJ212Ingest``) and the same reason codes (``HJ212Refusal``): an unknown station, a parameter
/// not in the catalogue or not configured at the station, a value that is not a number or is
/// outside the instrument range, a time outside [now − ``maxPast``, now + ``maxFuture``] (a fault of
/// the sender's clock). Values are in the station's reported unit and are stored in its unit.
///
/// ```swift
/// var ingest = ReadingIngest(stations: book.registry)
/// let result = ingest.samples(from: readings, now: now)
/// let outcomes = try await writer.submitOutcomes(result.samples)   // result.origins[i] is the reading of sample i
/// ```
///
/// No I/O, no clock (`now` is given). It caches each station's targets as it meets them: keep it
/// (``ReadingWriter`` does) while the stations stay the same.
public struct ReadingIngest: Sendable {
    /// A reading that was not stored, and why.
    public struct Refusal: Sendable, Hashable, CustomStringConvertible {
        /// Its index among the readings given.
        public var index: Int
        /// The stable reason code.
        public var reason: HJ212Refusal
        /// What was wrong, naming the station and parameter.
        public var message: String
        /// Creates a refusal.
        public init(index: Int, reason: HJ212Refusal, message: String) {
            self.index = index
            self.reason = reason
            self.message = message
        }
        public var description: String { "\(reason.code): \(message)" }
    }

    /// What a batch of readings gave.
    public struct Result: Sendable {
        /// The samples to store.
        public var samples: [Sample] = []
        /// For each sample, the index of its reading.
        public var origins: [Int] = []
        /// The readings refused, in order.
        public var refusals: [Refusal] = []
        /// The faults of senders' clocks among the refusals (one per station and batch).
        public var clockFaults: [StationClockFault] = []
    }

    /// The stations readings may name.
    public let stations: StationRegistry
    /// Seconds a reading's time may lie ahead of the server's clock.
    public let maxFuture: Int64
    /// Seconds a reading's time may lie behind the server's clock.
    public let maxPast: Int64
    private let catalogue: ParameterCatalogue
    private var targetsByStation: [String: [String: SeriesTarget]] = [:]
    private var parameterIDs: [String: String?] = [:]

    /// Creates the ingest.
    /// - Parameters:
    ///   - stations: the daemon's stations (``StationBook/registry``).
    ///   - maxFuture: seconds a time may lie ahead of the server's clock (as HJ 212's `max_future`).
    ///   - maxPast: seconds a time may lie behind it (as HJ 212's `max_past`).
    ///   - catalogue: the parameter catalogue.
    public init(
        stations: StationRegistry, maxFuture: Int64 = 3_600, maxPast: Int64 = 400 * 86_400, catalogue: ParameterCatalogue = .standard
    ) {
        self.stations = stations
        self.maxFuture = maxFuture
        self.maxPast = maxPast
        self.catalogue = catalogue
    }

    /// The catalogue id a sender's parameter name stands for: an id, alias or HJ 212 code.
    public func parameterID(_ name: String) -> String? {
        (catalogue.named(name) ?? catalogue.byCode(name))?.id
    }

    /// Checks readings and makes the samples of those that pass.
    /// - Parameters:
    ///   - readings: the readings, in the sender's order.
    ///   - now: the server's clock, seconds since the epoch.
    ///   - maxPast: how far back times may lie for this batch, when not ``maxPast`` (history).
    public mutating func samples(from readings: [Reading], now: Int64, maxPast: Int64? = nil) -> Result {
        let maxPast = maxPast ?? self.maxPast
        var result = Result()
        result.samples.reserveCapacity(readings.count)
        result.origins.reserveCapacity(readings.count)
        var faulted: Set<String> = []
        // The station of the reading before: lines come station by station, and comparing two
        // strings is cheaper than hashing one.
        var lastStation: String?
        var lastTargets: [String: SeriesTarget]?
        for (index, reading) in readings.enumerated() {
            if reading.station != lastStation {
                lastStation = reading.station
                lastTargets = targets(of: reading.station)
            }
            guard let targets = lastTargets else {
                let why = reading.station.isEmpty ? "the reading names no station" : "unknown station '\(reading.station)'"
                result.refusals.append(Refusal(index: index, reason: .unknownStation, message: why))
                continue
            }
            guard let parameter = cachedParameterID(reading.parameter) else {
                result.refusals.append(
                    Refusal(index: index, reason: .unknownCode, message: "\(reading.parameter): not in the parameter catalogue"))
                continue
            }
            guard let target = targets[parameter] else {
                result.refusals.append(
                    Refusal(
                        index: index, reason: .notConfigured,
                        message: (reading.parameter == parameter ? "" : "\(reading.parameter): ")
                            + SeriesTarget.notConfiguredReason(parameter, station: reading.station)))
                continue
            }
            if let fault = fault(reading, now: now, maxPast: maxPast) {
                result.refusals.append(Refusal(index: index, reason: .badTime, message: "\(reading.station): \(fault)"))
                if faulted.insert(reading.station).inserted { result.clockFaults.append(fault) }
                continue
            }
            let check = reading.unit.map { target.check(reading.value, in: $0) } ?? target.check(reading.value)
            switch check {
            case .stored(let value):
                result.samples.append(Sample(series: target.keys[reading.kind.index], time: reading.time, value: value, flag: reading.flag))
                result.origins.append(index)
            case .notANumber:
                result.refusals.append(
                    Refusal(index: index, reason: .notANumber, message: "\(reading.station) \(reading.parameter): the value is not a number"))
            case .outOfRange(let value):
                result.refusals.append(
                    Refusal(index: index, reason: .outOfRange, message: "\(reading.station): " + target.outOfRangeReason(value)))
            }
        }
        return result
    }

    private mutating func targets(of station: String) -> [String: SeriesTarget]? {
        if let cached = targetsByStation[station] { return cached }
        guard let s = stations[station] else { return nil }
        let targets = SeriesTarget.targets(of: s)
        targetsByStation[station] = targets
        return targets
    }

    private mutating func cachedParameterID(_ name: String) -> String? {
        if let cached = parameterIDs[name] { return cached }
        let id = parameterID(name)
        parameterIDs[name] = id
        return id
    }

    /// The fault of the sender's clock a reading's time shows, if any.
    private func fault(_ reading: Reading, now: Int64, maxPast: Int64) -> StationClockFault? {
        let kind: StationClockFault.Kind
        let limit: Int64
        if reading.time < now - maxPast {
            (kind, limit) = (.behind, maxPast)
        } else if reading.time > now + maxFuture {
            (kind, limit) = (.ahead, maxFuture)
        } else {
            return nil
        }
        return StationClockFault(
            station: reading.station, kind: kind, sent: ZoneCalendar(TimeZone(identifier: "UTC")!).iso8601(reading.time), offset: now - reading.time, limit: limit,
            receivedAt: now)
    }
}

extension SeriesKind {
    /// The index in `allCases`, which ``SeriesTarget/keys`` follows (without making `allCases`).
    var index: Int {
        switch self {
        case .realtime: 0
        case .minute: 1
        case .hour: 2
        case .day: 3
        }
    }
}
