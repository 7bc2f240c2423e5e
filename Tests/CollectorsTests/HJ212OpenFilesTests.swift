@testable import Collectors
import Testing

/// Connection limits against the open-file limit.
@Suite struct HJ212OpenFilesTests {
    @Test func connectionLimitsAreLoweredToWhatOpenFilesAllowAndItIsSaid() throws {
        let (fitted, warning) = HJ212ServerConfiguration().clamped(toOpenFiles: 1_024)
        #expect(fitted.maxConnections == 960)
        let text = try #require(warning)
        #expect(text.hasPrefix("max_connections 4096 is more than 1024 open files allow: using 960 (64 descriptors are kept"))
    }

    @Test func limitsThatFitAreKept() {
        let (fitted, warning) = HJ212ServerConfiguration().clamped(toOpenFiles: 1_048_576)
        #expect(fitted == HJ212ServerConfiguration())
        #expect(warning == nil)
    }

    @Test func aTinyLimitStillLeavesOneConnection() {
        #expect(HJ212ServerConfiguration().clamped(toOpenFiles: 10).configuration.maxConnections == 1)
    }

    @Test func theLimitCanBeRead() throws {
        let limit = try #require(OpenFileLimit.current())
        #expect(limit.soft > 0)
        #expect(limit.hard.map { $0 >= limit.soft } ?? true)
    }
}
