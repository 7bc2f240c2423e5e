import EnvmonTesting
import Foundation
import Testing

/// deploy/envmon.service, checked by systemd's own `systemd-analyze verify` where it is installed
/// (with ExecStart pointed at the built binary, which the check requires to exist).
@Suite struct DeployTests {
    static let analyze = ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"].first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(.enabled(if: analyze != nil, "systemd-analyze is not installed"))
    func theUnitFilePassesSystemdAnalyzeVerify() async throws {
        let dir = TemporaryDirectory("envmon-deploy")
        let unit = try String(contentsOfFile: Envmon.root + "/deploy/envmon.service", encoding: .utf8)
        #expect(unit.contains("Type=notify\n") && unit.contains("WatchdogSec=30s\n"))
        let path = dir.write("envmon.service", unit.replacingOccurrences(of: "/usr/local/bin/envmon", with: Envmon.binary))
        let analyze = try #require(Self.analyze)
        let (status, data) = try await ChildProcess.run(analyze, ["verify", path], mergingStandardError: true)
        let output = String(decoding: data, as: UTF8.self)
        #expect(status == 0, "\(output)")
        #expect(output.isEmpty, "\(output)")
    }
}
