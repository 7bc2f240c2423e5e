import Foundation

/// A few threads, each with its own ``CurlEasy``, that run blocking libcurl transfers off Swift's
/// cooperative pool. A transfer waits for a free thread; up to `maxThreads` run at once. A thread
/// idle for `idleTimeout` seconds ends and closes its handle's connections; a new one starts when
/// work comes again.
final class CurlWorkers: @unchecked Sendable {
    typealias Job = (CurlEasy) -> Void

    private let condition = NSCondition()
    private var jobs: [Job] = []
    private var head = 0
    private var threads = 0
    private var idle = 0
    private var closed = false
    private let maxThreads: Int
    private let idleTimeout: Double
    private let name: String

    init(maxThreads: Int, idleTimeout: Double = 30, name: String) {
        self.maxThreads = max(1, maxThreads)
        self.idleTimeout = idleTimeout
        self.name = name
    }

    /// Runs `body` on a worker thread with its handle and returns what it returns.
    func run<T: Sendable>(_ body: @escaping @Sendable (CurlEasy) -> T) async -> T {
        await withCheckedContinuation { (continuation: CheckedContinuation<T, Never>) in
            submit { easy in continuation.resume(returning: body(easy)) }
        }
    }

    /// Lets the threads end once the queue is empty.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    private func submit(_ job: @escaping Job) {
        condition.lock()
        jobs.append(job)
        let waiting = jobs.count - head
        if waiting > idle && threads < maxThreads {
            threads += 1
            let thread = Thread { [self] in work() }
            thread.name = name
            thread.start()
        } else {
            condition.signal()
        }
        condition.unlock()
    }

    private func work() {
        let easy = CurlEasy()
        condition.lock()
        while true {
            if head < jobs.count {
                let job = jobs[head]
                head += 1
                if head > 64 && head * 2 > jobs.count {
                    jobs.removeFirst(head)
                    head = 0
                }
                condition.unlock()
                job(easy)
                condition.lock()
                continue
            }
            if closed { break }
            idle += 1
            let woken = condition.wait(until: Date(timeIntervalSinceNow: idleTimeout))
            idle -= 1
            if !woken && head >= jobs.count { break }
        }
        threads -= 1
        condition.unlock()
    }
}
