import Foundation

/// A one-line progress bar on standard error, redrawn at most ten times a second.
final class ProgressBar: @unchecked Sendable {
    // Invariant: `update` and `finish` are called from one task at a time (the import loop),
    // the lock only guards against a late redraw racing the final one.
    private let label: String
    private let enabled: Bool
    private let lock = NSLock()
    private var lastDraw = Date.distantPast
    private var drawn = false

    init(label: String, enabled: Bool) {
        self.label = label
        self.enabled = enabled
    }

    func update(_ fraction: Double) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) > 0.1 || fraction >= 1 else { return }
        lastDraw = now
        let width = 30
        let filled = Int((min(1, max(0, fraction)) * Double(width)).rounded())
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        printRaw("\r\(label) \(bar) \(Int(fraction * 100))%")
        drawn = true
    }

    func finish() {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        if drawn { printRaw("\r\u{1B}[2K") }
    }

    private func printRaw(_ s: String) {
        FileHandle.standardError.write(Data(s.utf8))
    }
}
