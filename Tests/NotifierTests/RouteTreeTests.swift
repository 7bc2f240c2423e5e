import Notifier
import Testing

/// Routing as Alertmanager does it; the tree is the one of Alertmanager's own routing tests
/// (dispatch/route_test.go), read through the loader.
@Suite struct RouteTreeTests {
    let tree: RouteTree

    init() throws {
        let configuration = try NotifyFixture().load(
            """
            notify:
              route:
                receiver: notify-def
                routes:
                  - matchers: ['owner="team-A"']
                    receiver: notify-A
                    routes:
                      - matchers: ['env="testing"']
                        receiver: notify-testing
                        group_by: ['...']
                      - matchers: ['env="production"']
                        receiver: notify-productionA
                        group_wait: 1m
                        continue: true
                      - matchers: ['env=~"produ.*"', 'job=~".*"']
                        receiver: notify-productionB
                        group_wait: 30s
                        group_interval: 5m
                        repeat_interval: 1h
                        group_by: [job]
                  - match_re: {owner: 'team-(B|C)'}
                    group_by: [foo, bar]
                    group_wait: 2m
                    receiver: notify-BC
                  - match: {group_by: role}
                    group_by: [role]
                    routes:
                      - matchers: ['env="testing"']
                        receiver: notify-testing
                        routes:
                          - matchers: [wait="long"]
                            group_wait: 2m
              receivers: [{name: notify-def}, {name: notify-A}, {name: notify-testing}, {name: notify-productionA}, {name: notify-productionB}, {name: notify-BC}]
            """)
        tree = RouteTree(configuration)
    }

    func route(_ path: String, _ receiver: String, _ groupBy: RouteNode.GroupBy = .labels([]), wait: Int64 = 30, interval: Int64 = 300, repeat: Int64 = 14_400)
        -> MatchedRoute
    {
        MatchedRoute(path: path, receiver: receiver, groupBy: groupBy, groupWait: wait, groupInterval: interval, repeatInterval: `repeat`)
    }

    @Test func whatNoChildTakesGoesToTheDefaultReceiver() {
        #expect(tree.match(["owner": "team-X"]) == [route("0", "notify-def")])
        #expect(tree.match([:]) == [route("0", "notify-def")])
    }

    @Test func aMatchingNodeWithNoMatchingChildIsItselfTheMatch() {
        #expect(tree.match(["owner": "team-A"]) == [route("0.0", "notify-A")])
        #expect(tree.match(["owner": "team-A", "env": "staging"]) == [route("0.0", "notify-A")])
    }

    @Test func theFirstMatchingChildWinsAndItsSettingsReplaceInheritedOnes() {
        #expect(tree.match(["owner": "team-A", "env": "testing"]) == [route("0.0.0", "notify-testing", .all)])
        #expect(tree.match(["owner": "team-C"]) == [route("0.1", "notify-BC", .labels(["foo", "bar"]), wait: 120)])
        #expect(tree.match(["owner": "team-B", "env": "testing"]) == [route("0.1", "notify-BC", .labels(["foo", "bar"]), wait: 120)])
    }

    @Test func continueGoesOnToLaterSiblings() {
        #expect(
            tree.match(["owner": "team-A", "env": "production"]) == [
                route("0.0.1", "notify-productionA", wait: 60),
                route("0.0.2", "notify-productionB", .labels(["job"]), wait: 30, interval: 300, repeat: 3_600),
            ])
    }

    @Test func nestedRoutesInheritFromEveryAncestor() {
        #expect(tree.match(["group_by": "role"]) == [route("0.2", "notify-def", .labels(["role"]))])
        #expect(tree.match(["group_by": "role", "env": "testing"]) == [route("0.2.0", "notify-testing", .labels(["role"]))])
        #expect(
            tree.match(["group_by": "role", "env": "testing", "wait": "long"]) == [route("0.2.0.0", "notify-testing", .labels(["role"]), wait: 120)])
    }

    @Test func aMatchAfterAContinueOnlyCountsItsOwnSubtree() {
        // continue on the first child of the root, then the second one matches too.
        let root = RouteNode(
            receiver: "all", groupBy: .labels(["alertname"]), groupWait: 10,
            routes: [
                RouteNode(receiver: "log", matchers: [], continue: true),
                RouteNode(receiver: "pager", matchers: [try! LabelMatcher(parsing: #"severity="critical""#)]),
                RouteNode(receiver: "never", matchers: []),
            ])
        let tree = RouteTree(root: root)
        #expect(
            tree.match(["severity": "critical"]) == [
                route("0.0", "log", .labels(["alertname"]), wait: 10), route("0.1", "pager", .labels(["alertname"]), wait: 10),
            ])
        #expect(tree.match(["severity": "info"]) == [route("0.0", "log", .labels(["alertname"]), wait: 10), route("0.2", "never", .labels(["alertname"]), wait: 10)])
        #expect(tree.receiverNames == ["all", "log", "pager", "never"])
    }

    @Test func receiverNamesListsEachInheritedOrNamedReceiverOnce() {
        #expect(tree.receiverNames == ["notify-def", "notify-A", "notify-testing", "notify-productionA", "notify-productionB", "notify-BC"])
    }
}
