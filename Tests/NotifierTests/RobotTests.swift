import Foundation
import Notifier
import Store
import Testing

/// The robots' bodies, their signatures (checked against python's hmac), and how their HTTP 200
/// answers with error codes count.
@Suite struct RobotTests {
    let url = URL(string: "https://robot.example/send?access_token=abc")!

    @Test func wecomSendsMarkdownOrTextWithMentionedMobiles() {
        let channel = WeComChannel(config: RobotConfig(url: url), templates: Fixtures.templates, client: RecordingHTTPClient())
        let body = Fixtures.json(channel.request(for: Fixtures.message([Fixtures.cod()])).body)
        #expect(body["msgtype"] as? String == "markdown")
        let content = (body["markdown"] as? [String: Any])?["content"] as? String ?? ""
        #expect(content.hasPrefix("### 【告警】清河污水处理厂出口 COD 超标"))
        #expect(content.contains("120 mg/L"))

        var config = RobotConfig(url: url)
        config.mentionMobiles = ["13800001111"]
        let mention = Fixtures.json(WeComChannel(config: config, templates: Fixtures.templates, client: RecordingHTTPClient())
            .request(for: Fixtures.message([Fixtures.cod()])).body)
        #expect(mention["msgtype"] as? String == "text")
        let text = mention["text"] as? [String: Any] ?? [:]
        #expect(text["mentioned_mobile_list"] as? [String] == ["13800001111"])
        #expect((text["content"] as? String)?.contains("限值 90 mg/L") == true)
    }

    @Test func dingtalkSignsTheAddressAsPythonDoes() throws {
        var config = RobotConfig(url: url)
        config.secret = "SEC0123456789abcdef"
        config.mentionMobiles = ["13800001111"]
        let channel = DingTalkChannel(config: config, templates: Fixtures.templates, client: RecordingHTTPClient())
        let request = channel.request(for: Fixtures.message([Fixtures.cod()]), now: Fixtures.t0)
        let timestamp = Fixtures.t0 * 1000
        let expected = try Python.run(
            """
            import hmac,hashlib,base64,sys,urllib.parse
            ts, secret = sys.argv[1], sys.argv[2]
            print(urllib.parse.quote_plus(base64.b64encode(hmac.new(secret.encode(), f'{ts}\\n{secret}'.encode(), hashlib.sha256).digest())))
            """, ["\(timestamp)", "SEC0123456789abcdef"])
        #expect(request.url == "https://robot.example/send?access_token=abc&timestamp=\(timestamp)&sign=\(expected)")
        let body = Fixtures.json(request.body)
        #expect(body["msgtype"] as? String == "markdown")
        let markdown = body["markdown"] as? [String: Any] ?? [:]
        #expect(markdown["title"] as? String == "【告警】清河污水处理厂出口 COD 超标")
        #expect((markdown["text"] as? String)?.hasSuffix("@13800001111") == true)
        #expect((body["at"] as? [String: Any])?["atMobiles"] as? [String] == ["13800001111"])
    }

    @Test func feishuSignsTheBodyAsPythonDoes() throws {
        var config = RobotConfig(url: url)
        config.secret = "fs-secret"
        let request = FeishuChannel(config: config, templates: Fixtures.templates, client: RecordingHTTPClient())
            .request(for: Fixtures.message([Fixtures.cod()]), now: Fixtures.t0)
        let expected = try Python.run(
            """
            import hmac,hashlib,base64,sys
            key = f'{sys.argv[1]}\\n{sys.argv[2]}'.encode()
            print(base64.b64encode(hmac.new(key, b'', hashlib.sha256).digest()).decode())
            """, ["\(Fixtures.t0)", "fs-secret"])
        let body = Fixtures.json(request.body)
        #expect(body["timestamp"] as? String == "\(Fixtures.t0)")
        #expect(body["sign"] as? String == expected)
        #expect(body["msg_type"] as? String == "interactive")
        let card = body["card"] as? [String: Any] ?? [:]
        let header = card["header"] as? [String: Any] ?? [:]
        #expect((header["title"] as? [String: Any])?["content"] as? String == "【告警】清河污水处理厂出口 COD 超标")
        #expect(header["template"] as? String == "red")
        let element = (card["elements"] as? [[String: Any]])?.first ?? [:]
        #expect(element["tag"] as? String == "markdown")
        #expect((element["content"] as? String)?.hasPrefix("**清河污水处理厂出口 COD**") == true)
    }

    @Test func robotErrorCodesAreFinalExceptRateLimits() async {
        func outcome(_ body: String, wecom: Bool = true) async -> RetryPolicy.Outcome {
            let client = RecordingHTTPClient(.success(HTTPResponse(status: 200, body: Array(body.utf8))))
            let message = Fixtures.message([Fixtures.cod()])
            if wecom {
                return await WeComChannel(config: RobotConfig(url: url), templates: Fixtures.templates, client: client).send(message, now: 100)
            }
            return await FeishuChannel(config: RobotConfig(url: url), templates: Fixtures.templates, client: client).send(message, now: 100)
        }
        #expect(await outcome(#"{"errcode":0,"errmsg":"ok"}"#) == .delivered)
        #expect(await outcome(#"{"errcode":93000,"errmsg":"invalid webhook url"}"#) == .final(reason: "wecom error 93000: invalid webhook url"))
        #expect(await outcome(#"{"errcode":45009,"errmsg":"api freq out of limit"}"#)
            == .retryable(reason: "wecom error 45009: api freq out of limit", notBefore: 160))
        #expect(await outcome(#"{"code":0,"msg":"success"}"#, wecom: false) == .delivered)
        #expect(await outcome(#"{"code":19021,"msg":"sign match fail or timestamp is not within one hour from current time"}"#, wecom: false)
            == .final(reason: "feishu error 19021: sign match fail or timestamp is not within one hour from current time"))
        #expect(await outcome(#"{"code":11232,"msg":"frequency limited"}"#, wecom: false)
            == .retryable(reason: "feishu error 11232: frequency limited", notBefore: 160))
        let down = RecordingHTTPClient(.success(HTTPResponse(status: 502)))
        #expect(await DingTalkChannel(config: RobotConfig(url: url), templates: Fixtures.templates, client: down)
            .send(Fixtures.message([Fixtures.cod()]), now: 100) == .retryable(reason: "HTTP 502"))
        let dingBusy = RecordingHTTPClient(.success(HTTPResponse(status: 200, body: Array(#"{"errcode":130101,"errmsg":"send too fast"}"#.utf8))))
        #expect(await DingTalkChannel(config: RobotConfig(url: url), templates: Fixtures.templates, client: dingBusy)
            .send(Fixtures.message([Fixtures.cod()]), now: 100) == .retryable(reason: "dingtalk error 130101: send too fast", notBefore: 160))
    }
}
