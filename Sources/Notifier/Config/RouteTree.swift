/// The routing tree, resolved: every node's inherited settings filled in once, so matching a
/// notification only runs matchers.
///
/// Matching follows Alertmanager exactly: depth first from the root, which matches every
/// notification. A node matches when all its matchers do; its children are tried in order, and
/// the first that matches ends the search among its siblings unless it has `continue: true`.
/// When no child matches, the node itself is the match. Unset settings are inherited from the
/// parent; the root's defaults are `group_by: []`, `group_wait: 30s`, `group_interval: 5m`,
/// `repeat_interval: 4h`.
///
/// ```swift
/// let tree = RouteTree(configuration)
/// for route in tree.match(["alertname": "cod-high", "severity": "critical"]) { … }
/// ```
public struct RouteTree: Sendable {
    /// The root's `group_wait` when unset, in seconds (Alertmanager's 30 s).
    public static let defaultGroupWait: Int64 = 30
    /// The root's `group_interval` when unset, in seconds (Alertmanager's 5 min).
    public static let defaultGroupInterval: Int64 = 300
    /// The root's `repeat_interval` when unset, in seconds (Alertmanager's 4 h).
    public static let defaultRepeatInterval: Int64 = 14_400

    private struct Resolved: Sendable {
        var matchers: [LabelMatcher]
        var `continue`: Bool
        var route: MatchedRoute
        var children: [Resolved]
    }

    private let root: Resolved

    /// Resolves `root`; a root without a receiver sends to the empty name (the loader never
    /// lets that through).
    public init(root: RouteNode) {
        let top = MatchedRoute(
            path: "0", receiver: root.receiver ?? "", groupBy: root.groupBy ?? .labels([]),
            groupWait: root.groupWait ?? Self.defaultGroupWait, groupInterval: root.groupInterval ?? Self.defaultGroupInterval,
            repeatInterval: root.repeatInterval ?? Self.defaultRepeatInterval)
        self.root = Self.resolve(root, as: top)
    }

    /// Resolves the configuration's root route.
    public init(_ configuration: NotifyConfiguration) { self.init(root: configuration.route) }

    private static func resolve(_ node: RouteNode, as route: MatchedRoute) -> Resolved {
        let children = node.routes.enumerated().map { i, child in
            resolve(
                child,
                as: MatchedRoute(
                    path: "\(route.path).\(i)", receiver: child.receiver ?? route.receiver, groupBy: child.groupBy ?? route.groupBy,
                    groupWait: child.groupWait ?? route.groupWait, groupInterval: child.groupInterval ?? route.groupInterval,
                    repeatInterval: child.repeatInterval ?? route.repeatInterval))
        }
        return Resolved(matchers: node.matchers, continue: node.continue, route: route, children: children)
    }

    /// The routes a notification with `labels` takes, in tree order; never empty (the root
    /// takes what nothing else does).
    public func match(_ labels: [String: String]) -> [MatchedRoute] {
        Self.match(root, labels, isRoot: true)
    }

    private static func match(_ node: Resolved, _ labels: [String: String], isRoot: Bool) -> [MatchedRoute] {
        guard isRoot || node.matchers.allSatisfy({ $0.matches(labels) }) else { return [] }
        var all: [MatchedRoute] = []
        for child in node.children {
            let matches = match(child, labels, isRoot: false)
            all += matches
            if !matches.isEmpty && !child.continue { break }
        }
        return all.isEmpty ? [node.route] : all
    }

    /// Every receiver the tree sends to, each once, in tree order (depth first).
    public var receiverNames: [String] {
        var out: [String] = []
        var stack = [root]
        while let node = stack.popLast() {
            if !out.contains(node.route.receiver) { out.append(node.route.receiver) }
            stack += node.children.reversed()
        }
        return out
    }
}
