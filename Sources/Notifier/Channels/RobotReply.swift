import Foundation

/// How a group robot's answer counts. Robots answer HTTP 200 even when they refuse a message,
/// with the verdict in the body: WeCom and DingTalk `{"errcode": 0, "errmsg": "ok"}`, Feishu
/// `{"code": 0, "msg": "success"}` (older deployments `{"StatusCode": 0, …}`). A nonzero code is
/// final, except the robot's rate-limit codes, which are retried no sooner than a minute later
/// (the robots allow about 20 messages a minute).
enum RobotReply {
    static func outcome(
        _ exchange: Result<HTTPResponse, NotifierError>, robot: String, rateLimitCodes: Set<Int>, now: Int64
    ) -> RetryPolicy.Outcome {
        guard case .success(let response) = exchange, (200..<300).contains(response.status) else {
            return .of(exchange, now: now)
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] else {
            return .delivered  // a 2xx without a JSON verdict: nothing says it failed
        }
        let code = ["errcode", "code", "StatusCode"].lazy.compactMap { (object[$0] as? NSNumber)?.intValue }.first ?? 0
        if code == 0 { return .delivered }
        let text = ["errmsg", "msg", "StatusMessage"].lazy.compactMap { object[$0] as? String }.first ?? ""
        let reason = "\(robot) error \(code)\(text.isEmpty ? "" : ": \(text)")"
        return rateLimitCodes.contains(code) ? .retryable(reason: reason, notBefore: now + 60) : .final(reason: reason)
    }

    /// A JSON body with sorted keys and unescaped slashes.
    static func json(_ object: [String: Any]) -> [UInt8] {
        Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8))
    }

    /// `text` cut to at most `limit` UTF-8 bytes, between characters, with `…` when cut.
    static func truncated(_ text: String, bytes limit: Int) -> String {
        guard text.utf8.count > limit else { return text }
        var out = ""
        var used = 0
        for character in text {
            let n = String(character).utf8.count
            if used + n > limit - 3 { break }
            out.append(character)
            used += n
        }
        return out + "…"
    }

    /// `url` with `items` added to its query.
    static func url(_ url: URL, adding items: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let query = items.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0.1)" }.joined(separator: "&")
        let base = url.absoluteString
        return base + (base.contains("?") ? "&" : "?") + query
    }
}
