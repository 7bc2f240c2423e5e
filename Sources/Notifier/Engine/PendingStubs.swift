// TEMPORARY: replaced by the notify-config branch's RouteTree, Inhibitor and window code.
import Foundation

struct RouteTree: Sendable {
    let root: RouteNode
    init(_ c: NotifyConfiguration) { root = c.route }
    func match(_ labels: [String: String]) -> [MatchedRoute] {
        [MatchedRoute(path: "0", receiver: root.receiver ?? "default", groupBy: root.groupBy ?? .labels([]), groupWait: root.groupWait ?? 30, groupInterval: root.groupInterval ?? 300, repeatInterval: root.repeatInterval ?? 14_400)]
    }
}

public struct Inhibitor: Sendable {
    public init(rules: [InhibitRule]) {}
    public func isInhibited(_ labels: [String: String], firing: [[String: String]]) -> Bool { false }
}

extension MaintenanceWindow {
    public func isActive(at t: Int64) -> Bool { false }
    public func nextChange(after t: Int64) -> Int64? { nil }
}
