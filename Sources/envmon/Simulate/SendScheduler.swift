import NIOCore

/// The send timers of the stations on one event loop: a heap of (due time, station) and one
/// event-loop timer for the earliest.
///
/// A thousand stations at 20 frames a second each arm a timer per frame. As event-loop tasks,
/// each was a scheduled task with its own closure and promise, pushed through the loop's heap of
/// reference-counted entries: about 8 % of the simulator's CPU, on the two cores the collector
/// under test shares. Here a timer is two integers in an array.
///
/// Confined to its event loop, like the sessions that use it.
final class SendScheduler {
    private struct Entry {
        let due: UInt64
        let station: Int32
    }

    private let loop: any EventLoop
    private var heap: [Entry] = []
    private var stations: [SimulationSession?] = []
    private var armed: (due: UInt64, task: Scheduled<Void>)?

    init(loop: any EventLoop) { self.loop = loop }

    /// Adds a station; the number is its handle for ``schedule(_:at:)``.
    func register(_ session: SimulationSession) -> Int32 {
        stations.append(session)
        return Int32(stations.count - 1)
    }

    /// Forgets a station that has finished; timers still queued for it do nothing.
    func unregister(_ station: Int32) { stations[Int(station)] = nil }

    /// Calls the station's ``SimulationSession/sendTimerFired()`` at `due` (or soon after).
    func schedule(_ station: Int32, at due: NIODeadline) {
        push(Entry(due: due.uptimeNanoseconds, station: station))
        arm()
    }

    private func fire() {
        armed = nil
        let now = NIODeadline.now().uptimeNanoseconds
        while let top = heap.first, top.due <= now {
            pop()
            stations[Int(top.station)]?.sendTimerFired()
        }
        arm()
    }

    private func arm() {
        guard let top = heap.first else { return }
        if let armed {
            if armed.due <= top.due { return }
            armed.task.cancel()
        }
        let task = loop.assumeIsolated().scheduleTask(deadline: .uptimeNanoseconds(top.due)) { self.fire() }
        armed = (top.due, task)
    }

    // MARK: - A binary min-heap by due time

    private func push(_ entry: Entry) {
        heap.append(entry)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].due < heap[parent].due else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private func pop() {
        let last = heap.removeLast()
        guard !heap.isEmpty else { return }
        heap[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1
            guard left < heap.count else { break }
            let right = left + 1
            let child = right < heap.count && heap[right].due < heap[left].due ? right : left
            guard heap[child].due < heap[parent].due else { break }
            heap.swapAt(child, parent)
            parent = child
        }
    }
}
