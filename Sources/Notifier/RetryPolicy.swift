import Foundation

/// When a failed delivery is tried again, and when it is given up: exponential backoff with
/// jitter, `Retry-After` honoured, a maximum age.
///
/// The first retry comes within about a second (``firstDelay``), and each gap doubles up to
/// ``maxDelay``; half of each gap is random, so receivers that come back after an outage are not
/// hit by every daemon's retries in the same instant. A failure that cannot get better by
/// waiting (most 4xx) is final at once; a notification older than ``maxAge`` is dead-lettered
/// instead of retried. Pure: the caller passes the time and the random draw, so tests run in
/// microseconds.
public struct RetryPolicy: Sendable, Hashable {
    /// The gap before the first retry.
    public var firstDelay: Duration = .seconds(1)
    /// The longest gap between two attempts.
    public var maxDelay: Duration = .seconds(300)
    /// Seconds after its creation that a notification is given up rather than retried.
    public var maxAge: Int64 = 86_400

    /// The defaults the README documents.
    public init() {}

    /// What an attempt came to.
    public enum Outcome: Sendable, Hashable {
        /// The receiver has it.
        case delivered
        /// Worth trying again (a network error, 5xx, 408, 429), at the earliest at `notBefore`
        /// (a `Retry-After`), seconds since the epoch.
        case retryable(reason: String, notBefore: Int64? = nil)
        /// Not worth trying again (other 4xx, a bad configuration).
        case final(reason: String)
    }

    /// What to do next with a delivery that was not delivered.
    public enum Decision: Sendable, Hashable {
        /// Try again at this time (seconds since the epoch).
        case retry(at: Int64, reason: String)
        /// Give it up, with why.
        case deadLetter(reason: String)
    }

    /// The decision after a failed attempt.
    /// - Parameters:
    ///   - outcome: how the attempt failed (``Outcome/delivered`` is not a failure: nil).
    ///   - attempts: attempts made so far, this one included (1 after the first).
    ///   - createdAt: when the notification was queued.
    ///   - now: the time of the decision.
    ///   - random: a draw in 0..<1 for the jitter.
    public func decide(after outcome: Outcome, attempts: Int, createdAt: Int64, now: Int64, random: Double) -> Decision? {
        switch outcome {
        case .delivered:
            return nil
        case .final(let reason):
            return .deadLetter(reason: reason)
        case .retryable(let reason, let notBefore):
            let gap = delay(afterAttempts: attempts, random: random)
            // Whole seconds, the store's grain, and at least one.
            let seconds = Double(gap.components.seconds) + Double(gap.components.attoseconds) * 1e-18
            var at = now + max(1, Int64(seconds.rounded(.up)))
            if let notBefore { at = max(at, notBefore) }
            if at > createdAt + maxAge {
                return .deadLetter(reason: "\(reason); given up: older than max_age \(maxAge / 3_600) h")
            }
            return .retry(at: at, reason: reason)
        }
    }

    /// The gap after `attempts` attempts: `firstDelay × 2^(attempts−1)`, capped at `maxDelay`,
    /// its second half random.
    public func delay(afterAttempts attempts: Int, random: Double) -> Duration {
        let exponent = min(max(attempts - 1, 0), 30)
        var gap = firstDelay * (1 << exponent)
        if gap > maxDelay { gap = maxDelay }
        return gap / 2 + (gap / 2) * min(max(random, 0), 1)
    }

    /// How an HTTP answer counts: 2xx delivered; 408, 429 and 5xx retryable (honouring a
    /// `Retry-After` of seconds or an HTTP date); other statuses final.
    public static func outcome(httpStatus status: Int, retryAfter: String?, now: Int64) -> Outcome {
        switch status {
        case 200..<300:
            return .delivered
        case 408, 429, 500..<600:
            return .retryable(reason: "HTTP \(status)", notBefore: retryAfter.flatMap { parseRetryAfter($0, now: now) })
        default:
            return .final(reason: "HTTP \(status)")
        }
    }

    /// A `Retry-After` value (RFC 9110 §10.2.3): delay seconds, or an IMF-fixdate such as
    /// `Sun, 06 Nov 1994 08:49:37 GMT`; nil when it is neither.
    public static func parseRetryAfter(_ text: String, now: Int64) -> Int64? {
        let value = text.trimmingCharacters(in: .whitespaces)
        // Capped at a year: a receiver's absurd value must not overflow (and max_age gives up long before).
        if let seconds = Int64(value), seconds >= 0 { return now + min(seconds, 366 * 86_400) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        guard let date = formatter.date(from: value) else { return nil }
        return min(Int64(date.timeIntervalSince1970), now + 366 * 86_400)
    }
}
