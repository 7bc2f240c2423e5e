@testable import EnvmonHTTP
import Testing

/// gzip bodies through the system's zlib (`Content-Encoding: gzip` on /write).
@Suite struct GunzipTests {
    /// `gzip.compress(b"hello\n")` in python.
    static let hello: [UInt8] = [31, 139, 8, 0, 233, 170, 21, 107, 2, 255, 203, 72, 205, 201, 201, 231, 2, 0, 32, 48, 58, 54, 6, 0, 0, 0]

    @Test func aGzipBodyInflates() throws {
        #expect(try Gunzip.inflate(Self.hello, limit: 100) == Array("hello\n".utf8))
    }

    @Test func overTheLimitOnceInflatedIsTooLarge() {
        #expect(throws: Gunzip.Failure.tooLarge) { try Gunzip.inflate(Self.hello, limit: 5) }
    }

    @Test func aCutOrForeignBodyIsCorrupt() {
        #expect {
            try Gunzip.inflate(Array(Self.hello.prefix(12)), limit: 100)
        } throws: { error in
            if case .corrupt = error as? Gunzip.Failure { return true }
            return false
        }
        #expect {
            try Gunzip.inflate(Array("plain text, not gzip".utf8), limit: 100)
        } throws: { error in
            if case .corrupt(let why) = error as? Gunzip.Failure { return why == "incorrect header check" }
            return false
        }
    }
}
