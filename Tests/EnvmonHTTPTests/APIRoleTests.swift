import EnvmonHTTP
import EnvmonTesting
import Foundation
import Hummingbird
import Testing

/// Every route in the catalogue, for its role: a route added later is in the catalogue, so it
/// cannot escape these checks.
@Suite(.serialized) struct APIRoleTests {
    /// `{name}` in a path filled with a value that parses (`1`): the answer then comes from the
    /// route's handler, or from its role check.
    static func concrete(_ path: String) -> String {
        path.replacingOccurrences(of: #"\{[^}]+\}"#, with: "1", options: .regularExpression)
    }

    @Test func everyRouteAnswers401WithoutAToken403WithAWrongRoleAndServesTheRightOne() async throws {
        let fixture = try await APIFixture()
        try await fixture.withListener { port, listener in
            let routes = listener.catalogue.entries
            // The read and operate routes of this part, and the notifier's, are all there.
            #expect(routes.count >= 22, "\(routes)")
            for route in routes {
                let path = Self.concrete(route.path)
                let method = route.method.rawValue
                let body = method == "GET" || method == "DELETE" ? nil : Data("{}".utf8)
                guard let needed = route.role else {
                    let open = try await HTTPGet.request(port: port, method, path, body: body)
                    #expect(open.status != 401 && open.status != 403, "\(route): open, answered \(open.status)")
                    continue
                }
                let none = try await HTTPGet.request(port: port, method, path, body: body)
                #expect(none.status == 401, "\(route) without a token: \(none.status)")
                // InfluxDB-compatible routes answer as InfluxDB does, the others with a stable code.
                func code(_ reply: HTTPGet) -> String? {
                    route.errors == .influx ? reply.json["error"] as? String : (reply.json["error"] as? [String: Any])?["code"] as? String
                }
                #expect(code(none) == (route.errors == .influx ? "authorization failed" : "unauthorized"), "\(route): \(none.body)")
                let unknown = try await HTTPGet.request(port: port, method, path, token: "envmon_nobody", body: body)
                #expect(unknown.status == 401, "\(route) with an unknown token: \(unknown.status)")
                for role in Role.allCases {
                    let reply = try await HTTPGet.request(port: port, method, path, token: APIFixture.tokens[role], body: body)
                    if role.grants(needed) {
                        #expect(reply.status != 401 && reply.status != 403, "\(route) with \(role): \(reply.status) \(reply.body)")
                        #expect(reply.status < 500, "\(route) with \(role): \(reply.status) \(reply.body)")
                    } else {
                        #expect(reply.status == 403, "\(route) with \(role): \(reply.status)")
                        #expect(route.errors == .influx ? code(reply) != nil : code(reply) == "forbidden", "\(route): \(reply.body)")
                    }
                }
            }
        }
    }
}
