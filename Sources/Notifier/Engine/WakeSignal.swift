import Monitoring

/// Wakes one waiting task: the rule service's commit wakes the router, the router wakes a
/// target's worker. A signal given while nobody waits is kept (once), so none is lost between
/// a worker's last look at the outbox and its next wait.
final class WakeSignal: Sendable {
    private struct State {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
    }
    private let state = Locked(State())

    /// Wakes the waiter, or the next one to wait.
    func signal() {
        let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
            if let w = s.waiter {
                s.waiter = nil
                return w
            }
            s.pending = true
            return nil
        }
        waiter?.resume()
    }

    /// Returns at the next signal (at once if one is pending), or when the task is cancelled.
    func wait() async {
        await withTaskCancellationHandler {
            await waitForSignal()
        } onCancel: {
            signal()
        }
    }

    private func waitForSignal() async {
        if Task.isCancelled { return }
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let now = state.withLock { s -> Bool in
                if s.pending {
                    s.pending = false
                    return true
                }
                s.waiter = c
                return false
            }
            if now { c.resume() }
        }
    }

    /// Returns at the next signal or once `duration` has passed on `clock` (nil: no deadline).
    func wait<C: Clock>(upTo duration: Duration?, on clock: C) async where C.Duration == Duration {
        guard let duration else { return await wait() }
        if duration <= .zero { return }
        let timer = Task { [self] in
            do { try await clock.sleep(for: duration) } catch { return }
            signal()
        }
        await wait()
        timer.cancel()
    }
}
