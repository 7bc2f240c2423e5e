import Monitoring

extension HJ212ServerContext {
    /// Counts a fault of a station's clock and tells the rules (``clockFaults``).
    func record(_ fault: StationClockFault) {
        statistics.station(fault.station) {
            $0.clockFaults += 1
            $0.lastBadTime = fault.sent
        }
        clockFaults?(fault)
    }
}
