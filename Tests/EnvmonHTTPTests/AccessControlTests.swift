import EnvmonHTTP
import EnvmonTesting
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Testing

/// Tokens and roles, through a real listener on loopback: what a client sees.
@Suite struct AccessControlTests {
    let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
    static let reader = "envmon_reader-token"
    static let operator_ = "envmon_operator-token"
    static let ingester = "envmon_ingest-token"
    static let admin = "envmon_admin-token"
    let access = AccessControl([
        AccessToken(name: "dashboard", role: .read, token: reader),
        AccessToken(name: "duty-officer", role: .operate, token: operator_),
        AccessToken(name: "telegraf-plant-3", role: .ingest, token: ingester),
        AccessToken(name: "ops", role: .admin, token: admin),
    ])

    /// A route per role, each answering with the caller's name, and one open route.
    struct Probe: HTTPRouteProvider {
        func addRoutes(to api: APIRouter) {
            for role in Role.allCases {
                api.get("/api/v1/probe/\(role.rawValue)", role: role, summary: "needs \(role)") { _, _ in
                    APIResponse.json(["caller": Caller.current?.name ?? "-"])
                }
            }
            api.post("/write", role: .ingest, summary: "influx-style", errors: .influx) { _, _ in APIResponse.empty() }
            api.get("/api/v1/open", role: nil, summary: "open") { _, _ in APIResponse.json(["caller": Caller.current?.name ?? "-"]) }
            api.get("/api/v1/fails", role: .read, summary: "fails") { _, _ in throw APIError.badParameter("from", "not a time") }
        }
    }

    func withListener(_ body: (Int, HTTPListener) async throws -> Void) async throws {
        let listener = HTTPListener(configuration: .init(port: 0), access: access, routes: [Probe()], logger: logger)
        let group = ServiceGroup(configuration: .init(services: [listener], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            do {
                try await body(try await listener.boundPort(), listener)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    @Test func rolesGrantWhatTheySay() {
        #expect(Role.admin.grants(.ingest) && Role.admin.grants(.operate))
        #expect(Role.operate.grants(.read) && Role.operate.grants(.operate))
        #expect(!Role.operate.grants(.ingest) && !Role.operate.grants(.admin))
        #expect(Role.read.grants(.read) && !Role.read.grants(.operate) && !Role.read.grants(.ingest))
        #expect(Role.ingest.grants(.ingest) && !Role.ingest.grants(.read))
    }

    @Test func everyRoleIsCheckedBeforeTheHandler() async throws {
        let tokens: [Role: String] = [.read: Self.reader, .operate: Self.operator_, .ingest: Self.ingester, .admin: Self.admin]
        let names: [Role: String] = [.read: "dashboard", .operate: "duty-officer", .ingest: "telegraf-plant-3", .admin: "ops"]
        try await withListener { port, listener in
            for needed in Role.allCases {
                let path = "/api/v1/probe/\(needed.rawValue)"
                let anonymous = try await HTTPGet.get(port: port, path)
                #expect(anonymous.status == 401, "\(path) without a token")
                #expect((anonymous.json["error"] as? [String: Any])?["code"] as? String == "unauthorized")
                #expect(anonymous.headers.first { $0.key.lowercased() == "www-authenticate" }?.value.hasPrefix("Bearer") == true)
                let stranger = try await HTTPGet.get(port: port, path, token: "envmon_not-a-token")
                #expect(stranger.status == 401, "\(path) with an unknown token")
                for (role, token) in tokens {
                    let reply = try await HTTPGet.get(port: port, path, token: token)
                    if role.grants(needed) {
                        #expect(reply.status == 200, "\(path) as \(role)")
                        #expect(reply.json["caller"] as? String == names[role])
                    } else {
                        #expect(reply.status == 403, "\(path) as \(role)")
                        #expect((reply.json["error"] as? [String: Any])?["code"] as? String == "forbidden")
                    }
                }
            }
            let open = try await HTTPGet.get(port: port, "/api/v1/open")
            #expect(open.status == 200 && open.json["caller"] as? String == "-")
            #expect(listener.catalogue.entries.count == Role.allCases.count + 3)
            #expect(listener.catalogue.entries.first { $0.path == "/api/v1/probe/operate" }?.role == .operate)
        }
    }

    @Test func influxClientsAuthenticateAsAgainstInfluxDB() async throws {
        try await withListener { port, _ in
            let basic = Data("telegraf:\(Self.ingester)".utf8).base64EncodedString()
            for headers in [["Authorization": "Basic \(basic)"], ["Authorization": "Token \(Self.ingester)"], ["Authorization": "Token telegraf:\(Self.ingester)"]] {
                let reply = try await HTTPGet.request(port: port, "POST", "/write?db=envmon", headers: headers, body: Data())
                #expect(reply.status == 204, "\(headers)")
            }
            let query = try await HTTPGet.request(port: port, "POST", "/write?db=envmon&u=telegraf&p=\(Self.ingester)", body: Data())
            #expect(query.status == 204)
            let refused = try await HTTPGet.request(port: port, "POST", "/write?db=envmon&u=telegraf&p=wrong", body: Data())
            #expect(refused.status == 401)
            #expect(refused.json["error"] as? String == "authorization failed")
            let reader = try await HTTPGet.request(port: port, "POST", "/write?db=envmon", token: Self.reader, body: Data())
            #expect(reader.status == 403)
        }
    }

    @Test func anAPIErrorIsAnsweredWithItsCodeAndStatus() async throws {
        try await withListener { port, _ in
            let reply = try await HTTPGet.get(port: port, "/api/v1/fails", token: Self.reader)
            #expect(reply.status == 400)
            let error = reply.json["error"] as? [String: Any]
            #expect(error?["code"] as? String == "badParameter")
            #expect(error?["message"] as? String == "from: not a time")
        }
    }

    @Test func tokensAreReplacedWhileRunning() async throws {
        try await withListener { port, _ in
            let before = try await HTTPGet.get(port: port, "/api/v1/probe/read", token: Self.reader)
            #expect(before.status == 200)
            access.replace([AccessToken(name: "ops", role: .admin, token: Self.admin)])
            let revoked = try await HTTPGet.get(port: port, "/api/v1/probe/read", token: Self.reader)
            let kept = try await HTTPGet.get(port: port, "/api/v1/probe/read", token: Self.admin)
            #expect(revoked.status == 401)
            #expect(kept.status == 200)
        }
    }

    @Test func theLocalTokenIsTheDaemonUsersOnly() throws {
        let dir = TemporaryDirectory()
        let store = dir.path + "/envmon.sqlite"
        let entry = try LocalToken.create(storePath: store)
        let token = try #require(LocalToken.read(storePath: store))
        #expect(entry.role == .admin && entry.sha256 == AccessToken.hash(token))
        let mode = try FileManager.default.attributesOfItem(atPath: LocalToken.path(storePath: store))[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let second = try LocalToken.create(storePath: store)
        #expect(second.sha256 != entry.sha256)
        LocalToken.remove(storePath: store)
        #expect(LocalToken.read(storePath: store) == nil)
    }
}
