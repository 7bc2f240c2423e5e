public import Monitoring

/// Is told about every batch the writer commits, after the commit: how the rule engine sees
/// readings as they are committed, without polling the store.
///
/// Called on the writer's task, right after the commit and before the senders are answered:
/// it must hand the batch off and return at once, never block or wait on the writer.
public protocol CommitObserver: Sendable {
    /// A batch was committed.
    /// - Parameters:
    ///   - samples: the batch, in submission order.
    ///   - outcomes: what became of each sample (same order); only `inserted` and `changed`
    ///     samples are new to the store.
    func didCommit(_ samples: [Sample], outcomes: [SampleOutcome])
}
