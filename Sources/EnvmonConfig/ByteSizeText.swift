import Foundation

/// Reads sizes written as people write them: `64MiB`, `64MB`, `512KiB`, `1GiB`, or plain bytes.
/// `K`, `M` and `G` are powers of 1,024 with or without the `i` (a file cap, not a disk's label).
public enum ByteSizeText {
    /// The number of bytes in `text`, or `nil` when it is not a size.
    public static func bytes(_ text: String) -> Int64? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let plain = Int64(t) { return plain }
        let digits = t.prefix { $0.isASCII && $0.isNumber }
        guard let n = Int64(digits) else { return nil }
        let unit = t.dropFirst(digits.count).trimmingCharacters(in: .whitespaces).uppercased()
        let shift: Int64
        switch unit {
        case "B": shift = 0
        case "K", "KB", "KIB": shift = 10
        case "M", "MB", "MIB": shift = 20
        case "G", "GB", "GIB": shift = 30
        default: return nil
        }
        let (value, overflow) = n.multipliedReportingOverflow(by: 1 << shift)
        return overflow ? nil : value
    }
}
