import Foundation

extension MaintenanceWindow {
    /// Whether the window is open at `seconds` (since the epoch): the weekday and the minute of
    /// the day, read in ``location`` at that instant (so across a DST change too), are both
    /// among the window's (an empty list allows any).
    public func isActive(at seconds: Int64) -> Bool {
        let (weekday, secondOfDay) = localDay(at: seconds)
        return isActive(weekday: weekday, minute: Int(secondOfDay / 60))
    }

    /// Whether the window holds a notification with `labels` at `seconds`: it is open and all
    /// its matchers match.
    public func holds(_ labels: [String: String], at seconds: Int64) -> Bool {
        isActive(at: seconds) && matchers.allSatisfy { $0.matches(labels) }
    }

    /// The first instant after `seconds` at which the window opens or closes, looking at most 8
    /// days ahead; nil when it does not change in that time (always open, or never).
    public func nextChange(after seconds: Int64) -> Int64? {
        let initial = isActive(at: seconds)
        let limit = seconds + 8 * 86_400
        var now = seconds
        while now < limit {
            now = nextCandidate(after: now)
            if now > limit { return nil }
            if isActive(at: now) != initial { return now }
        }
        return nil
    }

    private func isActive(weekday: Int, minute: Int) -> Bool {
        (weekdays.isEmpty || weekdays.contains(weekday)) && (times.isEmpty || times.contains { $0.contains(minute) })
    }

    /// The ISO weekday (Monday 1 … Sunday 7) and the second of the day in ``location``.
    private func localDay(at seconds: Int64) -> (weekday: Int, secondOfDay: Int64) {
        let local = seconds + Int64(location.secondsFromGMT(for: Date(timeIntervalSince1970: Double(seconds))))
        let (day, secondOfDay) = floorDivide(local, 86_400)
        // 1970-01-01 was a Thursday (4).
        let weekday = Int((day + 3) % 7 + 7) % 7 + 1
        return (weekday, secondOfDay)
    }

    /// The next instant after `seconds` at which the state may change: the next local time that
    /// begins or ends a range, or midnight (the weekday changes), or the zone's next offset
    /// change, whichever comes first.
    private func nextCandidate(after seconds: Int64) -> Int64 {
        let (_, secondOfDay) = localDay(at: seconds)
        var boundary: Int64 = 86_400
        for range in times {
            for minute in [range.lowerBound, range.upperBound] where Int64(minute) * 60 > secondOfDay {
                boundary = min(boundary, Int64(minute) * 60)
            }
        }
        var next = seconds + (boundary - secondOfDay)
        let date = Date(timeIntervalSince1970: Double(seconds))
        if let transition = location.nextDaylightSavingTimeTransition(after: date) {
            let at = Int64(transition.timeIntervalSince1970.rounded(.up))
            if at > seconds && at < next { next = at }
        }
        return next
    }

    private func floorDivide(_ a: Int64, _ b: Int64) -> (quotient: Int64, remainder: Int64) {
        let r = ((a % b) + b) % b
        return ((a - r) / b, r)
    }
}
