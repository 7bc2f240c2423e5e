import EnvmonConfig
import Yams

extension ConfigNodeReader {
    /// The keys of a route, Alertmanager's names.
    static let routeKeys = [
        "receiver", "group_by", "group_wait", "group_interval", "repeat_interval", "matchers", "match", "match_re", "continue", "routes",
    ]

    /// Reads a route and its children; every receiver name it uses is appended to `references`
    /// with its node, to be checked against the receivers once they are read.
    /// - Parameters:
    ///   - node: the route's mapping.
    ///   - what: its place (`route`, `route.routes[0]`).
    ///   - key: the `route` key for the root (where a missing receiver is reported), nil for children.
    mutating func route(_ node: Node, _ what: String, rootKey key: Node?, references: inout [(name: String, node: Node)]) -> RouteNode {
        let isRoot = key != nil
        guard let fields = fields(node, what, known: Self.routeKeys) else { return RouteNode() }
        var route = RouteNode()
        if let v = fields["receiver"] {
            if let name = string(v, "\(what).receiver") {
                route.receiver = name
                references.append((name, v))
            }
        } else if isRoot {
            fail(.missingField, "\(what): the root route needs a receiver (the default one)", at: key)
        }
        if let v = fields["group_by"] { route.groupBy = groupBy(v, "\(what).group_by") }
        if let v = fields["group_wait"] { route.groupWait = seconds(v, "\(what).group_wait") }
        if let v = fields["group_interval"] { route.groupInterval = seconds(v, "\(what).group_interval", minimum: 1) }
        if let v = fields["repeat_interval"] { route.repeatInterval = seconds(v, "\(what).repeat_interval", minimum: 1) }
        route.matchers = allMatchers(fields, what)
        if isRoot, let first = fields.pairs.first(where: { ["matchers", "match", "match_re"].contains($0.name) }) {
            fail(.badValue, "\(what): the root route matches every alert, it cannot have \(first.name)", at: first.key)
        }
        if let v = fields["continue"] { route.continue = bool(v, "\(what).continue") ?? false }
        if let v = fields["routes"], let items = items(v, "\(what).routes") {
            for (i, item) in items.enumerated() {
                route.routes.append(self.route(item, "\(what).routes[\(i)]", rootKey: nil, references: &references))
            }
        }
        return route
    }

    /// `group_by`: label names, or `['...']` for every label.
    mutating func groupBy(_ node: Node, _ what: String) -> RouteNode.GroupBy? {
        guard let names = strings(node, what) else { return nil }
        if names.contains("...") {
            guard names.count == 1 else {
                fail(.badValue, "\(what): '...' (every label) cannot be listed with other labels", at: node)
                return nil
            }
            return .all
        }
        var seen = Set<String>()
        for (i, name) in names.enumerated() where !seen.insert(name).inserted {
            fail(.badValue, "\(what): label '\(name)' is listed twice", at: node.items?[i])
            return nil
        }
        return .labels(names)
    }
}
