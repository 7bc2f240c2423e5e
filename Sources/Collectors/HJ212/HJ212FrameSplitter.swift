/// Cuts a TCP byte stream into HJ 212 frames: a pure state machine, without I/O or clocks.
///
/// ```swift
/// var splitter = HJ212FrameSplitter()
/// splitter.feed(bytesJustRead) { output in
///     switch output {
///     case .frame(let bytes): handle(HJ212Decoder.decode(bytes))
///     case .skipped(let count): log("\(count) bytes of garbage before '##'")
///     case .unframeable(let reason, let dropped): log("\(reason): dropped \(dropped) bytes")
///     }
/// }
/// ```
///
/// A frame starts at `##` and normally ends where its declared length puts `&&` and four hex digits;
/// the CR LF after it is taken along when already received, and skipped silently when it arrives
/// later, so a device that waits for its reply before sending CR LF is not kept waiting.
///
/// Real devices declare wrong lengths (§12). Under ``Configuration/LengthPolicy/fallBackToDelimiters``,
/// when the declared length does not land on `&&` + CRC, or a line break or the next `##` and four
/// digits come before it, the frame ends at the first LF or such `##` instead, provided the bytes before it end in `&&` and one
/// to four hex digits. Bytes before `##` are skipped and counted; a frame with no end within
/// ``Configuration/maxFrameSize`` is dropped and reported, and scanning resumes at the next `##`.
/// The splitter never holds more than about twice `maxFrameSize` bytes, whatever it is fed.
public struct HJ212FrameSplitter: Sendable {
    /// How the splitter frames.
    public struct Configuration: Sendable, Hashable {
        /// What to do when a frame's declared length does not fit its bytes.
        public enum LengthPolicy: String, Sendable, Hashable {
            /// Drop the frame and report it.
            case strict
            /// End the frame at the first LF or `##` instead (see ``HJ212FrameSplitter``).
            case fallBackToDelimiters
        }

        /// The largest frame, from `##` through the CRC and CR LF (the length field allows 9999 + 12).
        public var maxFrameSize: Int
        /// What to do with declared lengths that do not fit.
        public var lengthPolicy: LengthPolicy

        /// Creates a configuration.
        ///
        /// - Parameters:
        ///   - maxFrameSize: the largest frame in bytes, at least 16; 16 KiB by default.
        ///   - lengthPolicy: ``LengthPolicy/fallBackToDelimiters`` by default.
        public init(maxFrameSize: Int = 16_384, lengthPolicy: LengthPolicy = .fallBackToDelimiters) {
            self.maxFrameSize = Swift.max(16, maxFrameSize)
            self.lengthPolicy = lengthPolicy
        }
    }

    /// Why bytes that began with `##` were dropped.
    public enum Failure: String, Sendable, Hashable {
        /// The four bytes after `##` are not decimal digits (strict policy).
        case badLength = "bad-length"
        /// The declared length does not land on `&&` + CRC, or a line break comes before it (strict policy).
        case lengthMismatch = "length-mismatch"
        /// No frame end within the maximum frame size, or the bytes before the delimiter do not end in `&&` + CRC.
        case noFrameEnd = "no-frame-end"
        /// The stream ended in the middle of a frame (``finish(emit:)``).
        case truncated
    }

    /// What the splitter found.
    public enum Output: Sendable, Hashable {
        /// A frame: `##` through the CRC, with the CR LF when it was already received.
        case frame([UInt8])
        /// This many bytes before a `##` were not part of any frame.
        case skipped(Int)
        /// Bytes that began with `##` but could not be framed were dropped.
        case unframeable(Failure, dropped: Int)
    }

    /// The configuration.
    public let configuration: Configuration
    /// Frames delivered so far.
    public private(set) var frameCount = 0
    /// Bytes skipped before `##` so far.
    public private(set) var skippedBytes = 0
    /// Bytes dropped as unframeable so far.
    public private(set) var droppedBytes = 0
    /// CR and LF bytes that ended a frame but arrived after it was delivered.
    ///
    /// Every byte fed is in a frame, skipped, dropped, one of these, or still buffered.
    public private(set) var lateTerminatorBytes = 0

    private var buffer: [UInt8] = []
    private var head = 0
    /// Where the delimiter scan of the frame at `head` resumes.
    private var scanned = 0
    /// The first LF or `##` after the frame start at `head`, once found.
    private var delimiter: Int?
    /// Whether CR and LF at `head` belong to the frame just delivered.
    private var afterFrame = false

    /// Creates a splitter.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Bytes received but not yet delivered.
    public var bufferedCount: Int { buffer.count - head }

    /// Feeds received bytes and reports every frame and problem they complete, in stream order.
    ///
    /// - Parameters:
    ///   - bytes: the bytes just read.
    ///   - emit: called for each output.
    public mutating func feed(_ bytes: some Collection<UInt8>, emit: (Output) -> Void) {
        var rest = bytes[...]
        repeat {
            let take = Swift.max(1, configuration.maxFrameSize)
            buffer.append(contentsOf: rest.prefix(take))
            rest = rest.dropFirst(take)
            drain(emit)
            compact()
        } while !rest.isEmpty
    }

    /// Feeds received bytes and returns what they complete.
    public mutating func feed(_ bytes: some Collection<UInt8>) -> [Output] {
        var out: [Output] = []
        feed(bytes) { out.append($0) }
        return out
    }

    /// Ends the stream: delivers a last frame that lacks only its terminator, and reports the rest.
    public mutating func finish(emit: (Output) -> Void) {
        drain(emit)
        let n = buffer.count - head
        if n > 0 {
            let isFrameStart = n >= 2 && buffer[head] == HJ212Scan.hash && buffer[head + 1] == HJ212Scan.hash
            if isFrameStart && endsWithCRC(head, buffer.count) {
                deliver(head..<buffer.count, emit)
            } else if isFrameStart {
                dropped(.truncated, n, emit)
            } else {
                skip(n, emit)
            }
        }
        buffer.removeAll()
        head = 0
        scanned = 0
        delimiter = nil
        afterFrame = false
    }

    /// Ends the stream and returns what the rest of the buffer holds.
    public mutating func finish() -> [Output] {
        var out: [Output] = []
        finish { out.append($0) }
        return out
    }

    // MARK: - The state machine

    private mutating func drain(_ emit: (Output) -> Void) {
        typealias S = HJ212Scan
        let max = configuration.maxFrameSize
        while head < buffer.count {
            if afterFrame {
                while head < buffer.count && (buffer[head] == S.cr || buffer[head] == S.lf) {
                    head += 1
                    lateTerminatorBytes += 1
                }
                if head == buffer.count { return }
                afterFrame = false
            }
            let count = buffer.count

            // Find a `##` not followed by another `#`.
            if !isFrameStart(head) {
                var i = head + 1
                while i < count && !isFrameStart(i) { i += 1 }
                if i < count {
                    skip(i - head, emit)
                    head = i
                    resetScan()
                    continue
                }
                // Keep a final `#`: it may start the next `##`.
                let keep = buffer[count - 1] == S.hash ? 1 : 0
                if count - keep > head { skip(count - keep - head, emit) }
                head = count - keep
                resetScan()
                return
            }
            if count - head < 3 { return }

            // The first LF or `##` after the start, within the maximum frame size.
            if delimiter == nil {
                let limit = Swift.min(count, head + max)
                var i = Swift.max(scanned, head + 2)
                while i < limit {
                    let c = buffer[i]
                    if c == S.lf { delimiter = i; break }
                    if c == S.hash {
                        // `##` and four digits: the next frame.
                        if i + 6 > count { break }
                        if buffer[i + 1] == S.hash && (2..<6).allSatisfy({ S.isDigit(buffer[i + $0]) }) {
                            delimiter = i
                            break
                        }
                    }
                    i += 1
                }
                scanned = i
            }

            // The declared length.
            var declared: Int?
            if count - head >= 6 && (2..<6).allSatisfy({ S.isDigit(buffer[head + $0]) }) {
                declared = (2..<6).reduce(0) { $0 * 10 + Int(buffer[head + $1] &- 0x30) }
            }
            if let length = declared {
                let segEnd = head + 6 + length
                let crcEnd = segEnd + 4
                if crcEnd - head <= max, crcEnd <= count, delimiter.map({ $0 >= segEnd }) ?? true, lands(segEnd) {
                    var end = crcEnd
                    if end < count && buffer[end] == S.cr { end += 1 }
                    if end < count && buffer[end] == S.lf { end += 1 }
                    deliver(head..<end, emit)
                    continue
                }
            }

            if configuration.lengthPolicy == .strict {
                if count - head >= 6 && declared == nil {
                    fail(.badLength, emit)
                    continue
                }
                if let length = declared {
                    let segEnd = head + 6 + length
                    if delimiter.map({ $0 < segEnd }) ?? false || segEnd + 4 <= count {
                        fail(.lengthMismatch, emit)
                        continue
                    }
                    if segEnd + 4 - head > max {
                        fail(.noFrameEnd, emit)
                        continue
                    }
                }
                return
            }

            if let d = delimiter {
                let isLF = buffer[d] == S.lf
                if endsWithCRC(head, d) {
                    deliver(head..<(isLF ? d + 1 : d), emit)
                } else {
                    dropped(.noFrameEnd, d - head + (isLF ? 1 : 0), emit)
                    head = isLF ? d + 1 : d
                    resetScan()
                }
                continue
            }
            if count - head >= max {
                fail(.noFrameEnd, emit)
                continue
            }
            return
        }
    }

    private func isFrameStart(_ i: Int) -> Bool {
        let count = buffer.count
        guard buffer[i] == HJ212Scan.hash else { return false }
        if i + 1 >= count { return true }
        guard buffer[i + 1] == HJ212Scan.hash else { return false }
        return i + 2 >= count || buffer[i + 2] != HJ212Scan.hash
    }

    /// Whether `&&` ends at `segEnd` and four hex digits follow.
    private func lands(_ segEnd: Int) -> Bool {
        guard segEnd - head >= 8, buffer[segEnd - 1] == HJ212Scan.amp, buffer[segEnd - 2] == HJ212Scan.amp else { return false }
        for i in segEnd..<(segEnd + 4) where HJ212Scan.hexValue(buffer[i]) == nil { return false }
        return true
    }

    /// Whether `start..<end`, less trailing CR and LF, ends in `&&` and one to four hex digits.
    private func endsWithCRC(_ start: Int, _ end: Int) -> Bool {
        var e = end
        while e > start && (buffer[e - 1] == HJ212Scan.cr || buffer[e - 1] == HJ212Scan.lf) { e -= 1 }
        var k = 0
        while k < 4 && e - k - 1 >= start && HJ212Scan.hexValue(buffer[e - k - 1]) != nil { k += 1 }
        let amp = e - k
        return k > 0 && amp - start >= 8 && buffer[amp - 1] == HJ212Scan.amp && buffer[amp - 2] == HJ212Scan.amp
    }

    private mutating func deliver(_ range: Range<Int>, _ emit: (Output) -> Void) {
        frameCount += 1
        emit(.frame(Array(buffer[range])))
        head = range.upperBound
        afterFrame = true
        resetScan()
    }

    private mutating func skip(_ n: Int, _ emit: (Output) -> Void) {
        skippedBytes += n
        emit(.skipped(n))
    }

    private mutating func dropped(_ failure: Failure, _ n: Int, _ emit: (Output) -> Void) {
        droppedBytes += n
        emit(.unframeable(failure, dropped: n))
    }

    /// Drops the frame at `head` up to the next `##` (or all but a final `#`) and reports it.
    private mutating func fail(_ failure: Failure, _ emit: (Output) -> Void) {
        let count = buffer.count
        var i = head + 2
        while i < count && !(buffer[i] == HJ212Scan.hash && (i + 1 >= count || buffer[i + 1] == HJ212Scan.hash)) { i += 1 }
        dropped(failure, i - head, emit)
        head = i
        resetScan()
    }

    private mutating func resetScan() {
        scanned = head
        delimiter = nil
    }

    private mutating func compact() {
        guard head > 0 else { return }
        if head == buffer.count {
            buffer.removeAll(keepingCapacity: buffer.capacity <= 4 * configuration.maxFrameSize)
        } else if head >= 4_096 || head * 2 >= buffer.count {
            buffer.removeSubrange(0..<head)
        } else {
            return
        }
        scanned = Swift.max(0, scanned - head)
        delimiter = delimiter.map { $0 - head }
        head = 0
    }
}
