/// `ExeRtn`, the result of a 9012 execution reply (§9). HJ/T 212-2005 defines only 1, 2 and 100.
public enum HJ212ExecutionReturn: Int, Sendable, Hashable, CaseIterable {
    /// 1: success.
    case success = 1
    /// 2: failed, reason unknown.
    case failed = 2
    /// 3: request-condition error.
    case conditionError = 3
    /// 4: communication timeout.
    case timeout = 4
    /// 5: system busy.
    case busy = 5
    /// 6: system fault.
    case fault = 6
    /// 100: no data.
    case noData = 100
}
