import Foundation
import Notifier
import Store
import Testing

/// The mail parses back (with python's `email` package) into what was meant: a UTF-8 Chinese
/// subject, a text and an HTML alternative, the idempotency key.
@Suite struct MIMEMessageTests {
    @Test func theMailParsesBack() throws {
        var config = EmailConfig(to: ["oncall@example.org", "duty@example.org"], smarthost: "127.0.0.1:25")
        config.from = "envmon@example.org"
        let channel = EmailChannel(config: config, templates: Fixtures.templates, client: RecordingSMTPClient())
        let message = Fixtures.message([Fixtures.cod()])
        let mail = channel.mail(for: message, now: Fixtures.t0)
        let bytes = mail.bytes
        #expect(!String(decoding: bytes, as: UTF8.self).split(separator: "\r\n").contains { $0.utf8.count > 998 })
        let parsed = try Python.run(
            """
            import sys, json, email, email.policy
            m = email.message_from_bytes(sys.stdin.buffer.read(), policy=email.policy.default)
            parts = [p for p in m.walk() if not p.is_multipart()]
            print(json.dumps({
              "subject": str(m["Subject"]), "from": str(m["From"]), "to": str(m["To"]), "date": str(m["Date"]),
              "id": str(m["Message-ID"]), "key": str(m["X-Envmon-Idempotency-Key"]), "type": m.get_content_type(),
              "parts": [p.get_content_type() for p in parts], "charsets": [p.get_content_charset() for p in parts],
              "text": parts[0].get_content(), "html": parts[1].get_content(), "defects": len(m.defects)}))
            """, input: bytes)
        let p = Fixtures.json(Array(parsed.utf8))
        #expect(p["subject"] as? String == "【告警】清河污水处理厂出口 COD 超标")
        #expect(p["from"] as? String == "envmon@example.org")
        #expect(p["to"] as? String == "oncall@example.org, duty@example.org")
        #expect(p["date"] as? String == "Wed, 01 May 2024 08:00:00 +0000")
        #expect(p["key"] as? String == message.idempotencyKey)
        #expect(p["id"] as? String == mail.messageID)
        #expect(p["type"] as? String == "multipart/alternative")
        #expect(p["parts"] as? [String] == ["text/plain", "text/html"])
        #expect(p["charsets"] as? [String] == ["utf-8", "utf-8"])
        #expect((p["text"] as? String)?.contains("限值 90 mg/L（GB 18918-2002 一级A）") == true)
        #expect((p["html"] as? String)?.contains("<td>90 mg/L（GB 18918-2002 一级A）</td>") == true)
        #expect(p["defects"] as? Int == 0)
    }

    @Test func longSubjectsAreSplitIntoShortEncodedWords() {
        let subject = String(repeating: "清河污水处理厂出口", count: 8)
        let encoded = MIMEMessage.encodedWords(subject)
        let words = encoded.components(separatedBy: "\r\n ")
        #expect(words.count > 1)
        #expect(words.allSatisfy { $0.hasPrefix("=?UTF-8?B?") && $0.hasSuffix("?=") && $0.count <= 75 })
        let decoded = words.map { Data(base64Encoded: String($0.dropFirst(10).dropLast(2)))! }.reduce(Data(), +)
        #expect(String(decoding: decoded, as: UTF8.self) == subject)
        #expect(MIMEMessage.encodedWords("plain subject") == "plain subject")
    }

    @Test func smtpFailuresCountByReply() async {
        let config = EmailConfig(to: ["a@example.org"], smarthost: "127.0.0.1:25")
        let message = Fixtures.message([Fixtures.cod()])
        let temporary = EmailChannel(config: config, templates: Fixtures.templates, client: RecordingSMTPClient(NotifierError(.smtpTemporary, "451")))
        #expect(await temporary.send(message, now: 0) == .retryable(reason: "451"))
        let permanent = EmailChannel(config: config, templates: Fixtures.templates, client: RecordingSMTPClient(NotifierError(.smtpPermanent, "550")))
        #expect(await permanent.send(message, now: 0) == .final(reason: "550"))
        #expect(await EmailChannel(config: config, templates: Fixtures.templates, client: RecordingSMTPClient()).send(message, now: 0) == .delivered)
    }
}

final class RecordingSMTPClient: SMTPClient, @unchecked Sendable {
    let failure: NotifierError?
    init(_ failure: NotifierError? = nil) { self.failure = failure }
    func send(_ mail: SMTPEnvelope) async throws(NotifierError) {
        if let failure { throw failure }
    }
}
