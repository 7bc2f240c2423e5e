import CZlib

/// Inflates a gzip (or zlib) body through the system's zlib, up to a size limit.
enum Gunzip {
    /// Why a body could not be inflated.
    enum Failure: Error, Equatable {
        /// It inflates to more than the limit.
        case tooLarge
        /// It is not gzip, or it is cut short (zlib's message).
        case corrupt(String)
    }

    /// The inflated bytes of `compressed`.
    /// - Parameter limit: the most bytes it may inflate to.
    static func inflate(_ compressed: [UInt8], limit: Int) throws(Failure) -> [UInt8] {
        var stream = z_stream()
        guard czlib_inflate_init_auto(&stream) == Z_OK else { throw .corrupt("zlib could not start") }
        defer { inflateEnd(&stream) }
        var out: [UInt8] = []
        out.reserveCapacity(min(limit, max(compressed.count * 4, 4_096)))
        var chunk = [UInt8](repeating: 0, count: 64 * 1_024)
        var status: Int32 = Z_OK
        var input = compressed
        let inputCount = input.count
        try input.withUnsafeMutableBufferPointer { (inBuffer) throws(Failure) in
            stream.next_in = inBuffer.baseAddress
            stream.avail_in = uInt(inputCount)
            repeat {
                let produced = chunk.withUnsafeMutableBufferPointer { outBuffer -> Int in
                    stream.next_out = outBuffer.baseAddress
                    stream.avail_out = uInt(outBuffer.count)
                    status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    return outBuffer.count - Int(stream.avail_out)
                }
                if status != Z_OK && status != Z_STREAM_END && !(status == Z_BUF_ERROR && produced > 0) {
                    let message = stream.msg.map { String(cString: $0) } ?? "inflate failed (\(status))"
                    throw .corrupt(message)
                }
                if out.count + produced > limit { throw .tooLarge }
                out.append(contentsOf: chunk[0..<produced])
                if status == Z_OK && produced == 0 && stream.avail_in == 0 { throw .corrupt("the gzip stream is cut short") }
            } while status != Z_STREAM_END
        }
        return out
    }
}
