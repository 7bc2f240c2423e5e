import Foundation

/// An RFC 5322 mail with a `multipart/alternative` body (text/plain, then text/html), UTF-8,
/// base64 bodies, an RFC 2047 encoded subject, and envmon's idempotency key in
/// `X-Envmon-Idempotency-Key`.
public struct MIMEMessage: Sendable, Hashable {
    public var from: String
    public var to: [String]
    public var subject: String
    public var text: String
    public var html: String
    /// Seconds since the epoch, for `Date:`.
    public var date: Int64
    /// Also the seed of `Message-ID`, so a retried message keeps its id.
    public var idempotencyKey: String

    /// Creates a message.
    public init(from: String, to: [String], subject: String, text: String, html: String, date: Int64, idempotencyKey: String) {
        self.from = from
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.date = date
        self.idempotencyKey = idempotencyKey
    }

    /// `<hash@domain-of-from>`: stable for the same idempotency key.
    public var messageID: String {
        let domain = from.split(separator: "@").last.map(String.init) ?? "envmon"
        return "<\(Digest.hex(Digest.sha256(Array(idempotencyKey.utf8)).prefix(16))).envmon@\(domain)>"
    }

    /// The message as sent, lines ending in CRLF.
    public var bytes: [UInt8] {
        let boundary = "=_envmon_" + Digest.hex(Digest.sha256(Array((idempotencyKey + subject).utf8)).prefix(12))
        var lines = [
            "From: \(from)",
            "To: \(to.joined(separator: ", "))",
            "Subject: \(Self.encodedWords(subject))",
            "Date: \(Timestamp.rfc5322(date))",
            "Message-ID: \(messageID)",
            "MIME-Version: 1.0",
            "X-Envmon-Idempotency-Key: \(Self.isPlainASCII(idempotencyKey) ? idempotencyKey : Self.encodedWords(idempotencyKey))",
            "Content-Type: multipart/alternative; boundary=\"\(boundary)\"",
            "",
            "This is a multi-part message in MIME format.",
        ]
        for (type, body) in [("text/plain", text), ("text/html", html)] {
            lines += [
                "--\(boundary)",
                "Content-Type: \(type); charset=UTF-8",
                "Content-Transfer-Encoding: base64",
                "",
            ]
            lines += Self.base64Lines(Array(body.utf8))
        }
        lines.append("--\(boundary)--")
        return Array((lines.joined(separator: "\r\n") + "\r\n").utf8)
    }

    /// `text` as RFC 2047 `=?UTF-8?B?…?=` words of at most 75 characters, folded onto
    /// continuation lines, split between characters; plain ASCII is left as it is.
    public static func encodedWords(_ text: String) -> String {
        if isPlainASCII(text) && text.utf8.count <= 900 { return text }
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in text {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > 45 {  // 45 bytes → 60 base64 characters → a 72-character word
                words.append("=?UTF-8?B?\(Digest.base64(chunk))?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?\(Digest.base64(chunk))?=") }
        return words.joined(separator: "\r\n ")
    }

    static func isPlainASCII(_ text: String) -> Bool { text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7f } }

    /// Base64 in lines of 76 characters.
    static func base64Lines(_ bytes: [UInt8]) -> [String] {
        let all = Digest.base64(bytes)
        var out: [String] = []
        var start = all.startIndex
        while start < all.endIndex {
            let end = all.index(start, offsetBy: 76, limitedBy: all.endIndex) ?? all.endIndex
            out.append(String(all[start..<end]))
            start = end
        }
        return out
    }
}
