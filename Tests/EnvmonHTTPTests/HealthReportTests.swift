import EnvmonHTTP
import Foundation
import Testing

@Suite struct HealthReportTests {
    @Test func allPassingIsHealthyAndListsEveryCheck() async throws {
        let report = await HealthReport.run([HealthCheck("store") { .ok }, HealthCheck("hj212") { .ok }])
        #expect(report.isHealthy)
        #expect(report.failing.isEmpty)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(report.json.utf8)) as? [String: Any])
        #expect(json["status"] as? String == "ok")
        #expect((json["checks"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["store", "hj212"])
    }

    @Test func aFailingCheckIsNamedWithItsReason() async throws {
        let report = await HealthReport.run([HealthCheck("store") { .failing("the file was deleted") }, HealthCheck("hj212") { .ok }])
        #expect(!report.isHealthy)
        #expect(report.failing == ["store"])
        #expect(report.summary == "store: the file was deleted")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(report.json.utf8)) as? [String: Any])
        #expect(json["status"] as? String == "failing")
        #expect(json["failing"] as? [String] == ["store"])
        let store = (json["checks"] as? [[String: Any]])?.first
        #expect(store?["reason"] as? String == "the file was deleted")
    }

    @Test func aCheckThatDoesNotAnswerInTimeFails() async {
        let slow = HealthCheck("slow", timeout: .milliseconds(50)) {
            try? await Task.sleep(for: .seconds(3_600))
            return .ok
        }
        let started = ContinuousClock.now
        let report = await HealthReport.run([slow, HealthCheck("quick") { .ok }])
        // Not an hour: the check was given up (generous, for a loaded machine).
        #expect(ContinuousClock.now - started < .seconds(120))
        #expect(report.failing == ["slow"])
    }

    @Test func noChecksIsHealthy() async {
        #expect(await HealthReport.run([]).isHealthy)
    }
}
