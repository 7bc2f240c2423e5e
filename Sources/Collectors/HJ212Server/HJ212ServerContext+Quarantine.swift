import NIOCore

extension HJ212ServerContext {
    /// Queues a frame for the quarantine file when its address is within its rate; the future
    /// (on `loop`) succeeds once the frame is on disk. `nil`: no quarantine, or over the rate.
    /// The figures are counted here: quarantined frames, and refused ones. `station`: the
    /// station whose frame it is, when it has one.
    func quarantine(_ frame: [UInt8], from address: String, station: String?, on loop: any EventLoop) -> EventLoopFuture<Void>? {
        guard let quarantine, quarantine.admit(from: address, at: now()) else {
            statistics.totals { $0.quarantineRefused += 1 }
            return nil
        }
        let written = loop.makePromise(of: Void.self)
        let statistics = self.statistics
        quarantine.keep(frame) { error in
            if let error {
                statistics.totals { $0.quarantineRefused += 1 }
                written.fail(error)
                return
            }
            statistics.totals { $0.quarantined += 1 }
            if let station { statistics.station(station) { $0.quarantined += 1 } }
            written.succeed()
        }
        return written.futureResult
    }
}
