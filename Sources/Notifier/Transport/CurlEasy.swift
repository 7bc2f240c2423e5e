internal import CCurl
import Foundation

/// One libcurl easy handle and its error buffer. Not thread-safe: one thread uses it at a time
/// (a ``CurlWorkers`` thread owns it). Between transfers it is reset but keeps its connection
/// cache, so a receiver's connection is reused (HTTP keep-alive, an SMTP session).
final class CurlEasy {
    /// `curl_global_init`, once per process, before the first handle.
    static let globalInit: Bool = curl_global_init(Int(CURL_GLOBAL_ALL)) == CURLE_OK

    let handle: UnsafeMutableRawPointer
    private let errorBuffer: UnsafeMutablePointer<CChar>

    init() {
        precondition(Self.globalInit, "curl_global_init failed")
        guard let h = curl_easy_init() else { fatalError("curl_easy_init failed (out of memory)") }
        handle = h
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    /// Forgets the previous transfer's options (not its connections) and sets the ones every
    /// transfer shares: no signals (threads), the error buffer, the timeouts.
    func reset(timeout: Double) {
        curl_easy_reset(handle)
        errorBuffer[0] = 0
        set(CURLOPT_NOSIGNAL, 1)
        _ = ccurl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)
        let ms = max(1, Int((timeout * 1000).rounded()))
        set(CURLOPT_TIMEOUT_MS, ms)
        set(CURLOPT_CONNECTTIMEOUT_MS, min(ms, 10_000))
    }

    func set(_ option: CURLoption, _ value: Int) { _ = ccurl_setopt_long(handle, option, value) }
    func set(_ option: CURLoption, _ value: String) { _ = ccurl_setopt_string(handle, option, value) }

    /// The last response code (HTTP status or SMTP reply), 0 when none came.
    var responseCode: Int {
        var code = 0
        _ = ccurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &code)
        return code
    }

    /// The last response's header `name`, if it had one.
    func header(_ name: String) -> String? {
        var out: UnsafeMutablePointer<curl_header>?
        guard curl_easy_header(handle, name, 0, UInt32(CURLH_HEADER), -1, &out) == CURLHE_OK, let value = out?.pointee.value else {
            return nil
        }
        return String(cString: value)
    }

    /// `curl_easy_strerror` of `code` with the error buffer's details.
    func describe(_ code: CURLcode) -> String {
        let summary = String(cString: curl_easy_strerror(code))
        let details = String(cString: errorBuffer).trimmingCharacters(in: .whitespacesAndNewlines)
        return details.isEmpty || details == summary ? summary : "\(summary): \(details)"
    }

    /// The failure a curl code stands for: a timeout, a configuration that cannot work, or
    /// network trouble.
    func failure(_ code: CURLcode, target: String) -> NotifierError {
        let text = "\(target): \(describe(code))"
        switch code {
        case CURLE_OPERATION_TIMEDOUT: return NotifierError(.timeout, text)
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL: return NotifierError(.badTarget, text)
        case CURLE_USE_SSL_FAILED: return NotifierError(.tlsRequired, text)
        default: return NotifierError(.network, text)
        }
    }

    /// A header list for `lines` (free it with `curl_slist_free_all`).
    static func list(_ lines: [String]) -> UnsafeMutablePointer<curl_slist>? {
        var list: UnsafeMutablePointer<curl_slist>?
        for line in lines { list = curl_slist_append(list, line) }
        return list
    }
}

/// Where a response body goes (`CURLOPT_WRITEDATA`); keeps the first ``limit`` bytes.
final class CurlSink {
    static let limit = 64 * 1024
    var bytes: [UInt8] = []

    /// The `CURLOPT_WRITEFUNCTION` that appends to the sink passed as its user data.
    static let write: curl_write_callback = { data, size, count, user in
        let n = size * count
        guard let data, let user else { return n }
        let sink = Unmanaged<CurlSink>.fromOpaque(user).takeUnretainedValue()
        let room = max(0, CurlSink.limit - sink.bytes.count)
        if room > 0 {
            data.withMemoryRebound(to: UInt8.self, capacity: n) { sink.bytes.append(contentsOf: UnsafeBufferPointer(start: $0, count: min(n, room))) }
        }
        return n
    }
}

/// What an upload reads from (`CURLOPT_READDATA`).
final class CurlSource {
    let bytes: [UInt8]
    var offset = 0
    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// The `CURLOPT_READFUNCTION` that copies the next bytes of the source passed as its user data.
    static let read: curl_read_callback = { buffer, size, count, user in
        guard let buffer, let user else { return 0 }
        let source = Unmanaged<CurlSource>.fromOpaque(user).takeUnretainedValue()
        let n = min(size * count, source.bytes.count - source.offset)
        guard n > 0 else { return 0 }
        source.bytes.withUnsafeBufferPointer { all in
            UnsafeMutableRawPointer(buffer).copyMemory(from: all.baseAddress! + source.offset, byteCount: n)
        }
        source.offset += n
        return n
    }
}
