/// `QnRtn`, the answer of a 9011 request reply (§9). HJ/T 212-2005 defines only 1…3.
public enum HJ212RequestReturn: Int, Sendable, Hashable, CaseIterable {
    /// 1: ready to execute.
    case ready = 1
    /// 2: rejected.
    case rejected = 2
    /// 3: wrong PW.
    case wrongPassword = 3
    /// 4: wrong MN.
    case wrongMN = 4
    /// 5: wrong ST.
    case wrongST = 5
    /// 6: wrong Flag.
    case wrongFlag = 6
    /// 7: wrong QN.
    case wrongQN = 7
    /// 8: wrong CN.
    case wrongCN = 8
    /// 9: CRC error.
    case crcError = 9
    /// 100: unknown error.
    case unknownError = 100
}
