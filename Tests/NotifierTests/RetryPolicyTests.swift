import Notifier
import Testing

/// Retries as the issue asks: the first within about a second, gaps doubling to a cap, jitter,
/// Retry-After honoured, 4xx final, dead-lettered past max_age.
@Suite struct RetryPolicyTests {
    let policy = RetryPolicy()
    let t0: Int64 = 1_767_225_600

    @Test func gapsDoubleFromAboutASecondToTheCapWithHalfOfEachRandom() {
        #expect(policy.delay(afterAttempts: 1, random: 0) == .milliseconds(500))
        #expect(policy.delay(afterAttempts: 1, random: 0.999_999) < .seconds(1))
        #expect(policy.delay(afterAttempts: 2, random: 1) == .seconds(2))
        #expect(policy.delay(afterAttempts: 4, random: 0) == .seconds(4))
        #expect(policy.delay(afterAttempts: 9, random: 1) == .seconds(256))
        #expect(policy.delay(afterAttempts: 10, random: 1) == .seconds(300))
        #expect(policy.delay(afterAttempts: 500, random: 0) == .seconds(150))
    }

    @Test func aRetryableFailureIsRetriedAndAFinalOneIsNot() {
        let first = policy.decide(after: .retryable(reason: "HTTP 503"), attempts: 1, createdAt: t0, now: t0, random: 0.5)
        #expect(first == .retry(at: t0 + 1, reason: "HTTP 503"))
        let later = policy.decide(after: .retryable(reason: "connection refused"), attempts: 6, createdAt: t0, now: t0 + 100, random: 1)
        #expect(later == .retry(at: t0 + 100 + 32, reason: "connection refused"))
        #expect(policy.decide(after: .final(reason: "HTTP 400"), attempts: 1, createdAt: t0, now: t0, random: 0) == .deadLetter(reason: "HTTP 400"))
        #expect(policy.decide(after: .delivered, attempts: 1, createdAt: t0, now: t0, random: 0) == nil)
    }

    @Test func retryAfterIsHonouredAndMaxAgeEndsIt() {
        let outcome = RetryPolicy.outcome(httpStatus: 429, retryAfter: "120", now: t0)
        #expect(outcome == .retryable(reason: "HTTP 429", notBefore: t0 + 120))
        #expect(policy.decide(after: outcome, attempts: 1, createdAt: t0, now: t0, random: 0) == .retry(at: t0 + 120, reason: "HTTP 429"))
        let old = policy.decide(after: .retryable(reason: "HTTP 503"), attempts: 40, createdAt: t0, now: t0 + 86_300, random: 1)
        #expect(old == .deadLetter(reason: "HTTP 503; given up: older than max_age 24 h"))
    }

    @Test func httpStatusesAreClassifiedAsAlertmanagersUsersExpect() {
        #expect(RetryPolicy.outcome(httpStatus: 200, retryAfter: nil, now: t0) == .delivered)
        #expect(RetryPolicy.outcome(httpStatus: 204, retryAfter: nil, now: t0) == .delivered)
        for status in [408, 429, 500, 502, 503, 504] {
            #expect(RetryPolicy.outcome(httpStatus: status, retryAfter: nil, now: t0) == .retryable(reason: "HTTP \(status)"))
        }
        for status in [301, 400, 401, 403, 404, 422] {
            #expect(RetryPolicy.outcome(httpStatus: status, retryAfter: nil, now: t0) == .final(reason: "HTTP \(status)"))
        }
    }

    @Test func retryAfterIsSecondsOrAnHTTPDate() {
        #expect(RetryPolicy.parseRetryAfter(" 30 ", now: t0) == t0 + 30)
        #expect(RetryPolicy.parseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", now: t0) == 784_111_777)
        #expect(RetryPolicy.parseRetryAfter("soon", now: t0) == nil)
        #expect(RetryPolicy.parseRetryAfter("-5", now: t0) == nil)
    }
}
