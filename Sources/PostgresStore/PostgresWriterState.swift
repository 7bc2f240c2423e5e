import Foundation
import Monitoring
import Store

/// What the writer remembers between batches: series ids, calendars and high-water marks
/// (newest committed sample per series), retention horizons, and the partitions that exist.
///
/// Invariant: touched only by the holder of ``WriterGate`` (one batch, retention pass or
/// station update at a time); that serialisation is what makes the unchecked `Sendable` sound.
/// After a failed transaction the caches are dropped, since they may hold rolled-back rows.
final class PostgresWriterState: @unchecked Sendable {
    var stations: StationRegistry
    /// Index into ``states`` of each series seen since the last reset: a batch's slots.
    var index: [SeriesKey: Int32] = [:]
    var states: [WriterState.SeriesState] = []
    var calendars: [String: ZoneCalendar] = [:]
    var horizons: [SeriesKind: Int64]?
    /// The leaf partitions of `sample` known to exist; nil until read from the catalogue.
    var partitions: Set<SamplePartition>?

    init(stations: StationRegistry) { self.stations = stations }

    func reset() {
        index.removeAll()
        states.removeAll()
        horizons = nil
        partitions = nil
    }

    func add(_ state: WriterState.SeriesState) -> Int32 {
        let i = Int32(states.count)
        states.append(state)
        index[state.key] = i
        return i
    }

    func calendar(for zone: TimeZone) -> ZoneCalendar {
        if let c = calendars[zone.identifier] { return c }
        let c = ZoneCalendar(zone)
        calendars[zone.identifier] = c
        return c
    }
}

/// A first-come, first-served lock for async code: one writer at a time, without blocking a thread.
actor WriterGate {
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// Waits for the gate and takes it.
    func enter() async {
        if !busy {
            busy = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    /// Hands the gate to the next waiter, or opens it.
    func leave() {
        if waiters.isEmpty {
            busy = false
        } else {
            waiters.removeFirst().resume()
        }
    }

    /// Runs `body` holding the gate.
    nonisolated func run<R: Sendable, E: Error>(_ body: () async throws(E) -> R) async throws(E) -> R {
        await enter()
        do {
            let r = try await body()
            await leave()
            return r
        } catch {
            await leave()
            throw error
        }
    }
}
