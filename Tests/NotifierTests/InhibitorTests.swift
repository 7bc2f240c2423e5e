import Notifier
import Testing

/// Inhibition as Alertmanager does it (inhibit/inhibit_test.go's cases, in envmon's labels).
@Suite struct InhibitorTests {
    let criticalHoldsWarning = InhibitRule(
        sourceMatchers: [try! LabelMatcher(parsing: #"severity="critical""#)], targetMatchers: [try! LabelMatcher(parsing: #"severity="warning""#)],
        equal: ["station"])

    @Test func aSourceFiringAtTheSameStationHoldsTheTarget() {
        let inhibitor = Inhibitor(rules: [criticalHoldsWarning])
        let warning = ["alertname": "cod-high", "severity": "warning", "station": "qinghe-1"]
        let critical = ["alertname": "cod-high", "severity": "critical", "station": "qinghe-1"]
        #expect(inhibitor.isInhibited(warning, firing: [critical]))
        #expect(!inhibitor.isInhibited(warning, firing: []), "nothing fires")
        #expect(!inhibitor.isInhibited(warning, firing: [critical.merging(["station": "qinghe-2"]) { $1 }]), "equal label differs")
        #expect(!inhibitor.isInhibited(critical, firing: [critical, warning]), "a source is not a target")
        #expect(inhibitor.inhibitingRule(for: warning, firing: [warning, critical])?.source == critical)
    }

    @Test func aMissingEqualLabelCountsAsEmptyOnBothSides() {
        let inhibitor = Inhibitor(rules: [criticalHoldsWarning])
        #expect(inhibitor.isInhibited(["severity": "warning"], firing: [["severity": "critical"]]))
        #expect(inhibitor.isInhibited(["severity": "warning", "station": ""], firing: [["severity": "critical"]]))
        #expect(!inhibitor.isInhibited(["severity": "warning"], firing: [["severity": "critical", "station": "s"]]))
    }

    @Test func anAlertMatchingBothSidesDoesNotInhibitItselfNorItsLikes() {
        // Alertmanager's "two-sided" rule: every alert of the station matches source and target.
        let rule = InhibitRule(
            sourceMatchers: [try! LabelMatcher(parsing: #"station=~"qinghe-.*""#)], targetMatchers: [try! LabelMatcher(parsing: #"station=~"qinghe-.*""#)],
            equal: ["station"])
        let inhibitor = Inhibitor(rules: [rule])
        let a = ["alertname": "cod-high", "station": "qinghe-1"]
        let b = ["alertname": "nh3-high", "station": "qinghe-1"]
        #expect(!inhibitor.isInhibited(a, firing: [a]), "firing may include the alert itself")
        #expect(!inhibitor.isInhibited(a, firing: [a, b]), "sources that also match the target are left out")
    }

    @Test func aSourceMatchingOnlyItsSideStillInhibitsATwoSidedTarget() {
        let rule = InhibitRule(
            sourceMatchers: [try! LabelMatcher(parsing: #"severity=~"critical|warning""#)], targetMatchers: [try! LabelMatcher(parsing: #"severity=~"warning|info""#)],
            equal: [])
        let inhibitor = Inhibitor(rules: [rule])
        let warning = ["severity": "warning"]
        #expect(inhibitor.isInhibited(warning, firing: [warning, ["severity": "critical"]]))
        #expect(!inhibitor.isInhibited(warning, firing: [warning]))
        #expect(inhibitor.isInhibited(["severity": "info"], firing: [warning]), "info is only a target")
    }

    @Test func anyRuleSuffices() {
        let deadman = InhibitRule(
            sourceMatchers: [try! LabelMatcher(parsing: #"alertname="station-offline""#)], targetMatchers: [try! LabelMatcher(parsing: #"alertname!="station-offline""#)],
            equal: ["station"])
        let inhibitor = Inhibitor(rules: [criticalHoldsWarning, deadman])
        let info = ["alertname": "cod-high", "severity": "info", "station": "s1"]
        #expect(inhibitor.isInhibited(info, firing: [["alertname": "station-offline", "severity": "critical", "station": "s1"]]))
        #expect(!inhibitor.isInhibited(info, firing: [["alertname": "cod-high", "severity": "critical", "station": "s1"]]))
    }
}
