import EnvmonHTTP
import EnvmonTesting
import Foundation
import Hummingbird
import Testing

/// The OpenAPI document against the routes the listener really serves.
@Suite(.serialized) struct OpenAPIDocumentTests {
    @Test func theDocumentListsEveryRouteAndOnlyThemWithTheirRoles() async throws {
        let fixture = try await APIFixture()
        try await fixture.withListener { port, listener in
            // Open: tools read it before they have a token.
            let reply = try await HTTPGet.get(port: port, "/api/v1/openapi.json")
            #expect(reply.status == 200)
            #expect(reply.contentType == "application/json")
            let document = reply.json
            #expect(document["openapi"] as? String == "3.1.0")
            let schemes = (document["components"] as? [String: Any])?["securitySchemes"] as? [String: Any]
            #expect((schemes?["bearer"] as? [String: Any])?["scheme"] as? String == "bearer")
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            var documented: [String: [String: Any]] = [:]
            for (path, methods) in paths {
                for (method, operation) in methods { documented["\(method.uppercased()) \(path)"] = operation as? [String: Any] }
            }
            let served = Dictionary(listener.catalogue.entries.map { ("\($0.method.rawValue) \($0.path)", $0) }, uniquingKeysWith: { a, _ in a })
            #expect(Set(served.keys).subtracting(documented.keys).isEmpty, "served, not documented: \(Set(served.keys).subtracting(documented.keys).sorted())")
            #expect(Set(documented.keys).subtracting(served.keys).isEmpty, "documented, not served: \(Set(documented.keys).subtracting(served.keys).sorted())")
            for (key, route) in served {
                guard let operation = documented[key] else { continue }
                let security = operation["security"] as? [[String: Any]] ?? []
                #expect(security.isEmpty == (route.role == nil), "\(key): security \(security) for role \(route.role?.rawValue ?? "open")")
                #expect(operation["x-envmon-role"] as? String == route.role?.rawValue ?? "open", "\(key)")
                let responses = operation["responses"] as? [String: Any] ?? [:]
                if route.role != nil { #expect(responses["401"] != nil && responses["403"] != nil, "\(key)") }
                // Every path parameter is documented.
                let names = (operation["parameters"] as? [[String: Any]] ?? []).filter { $0["in"] as? String == "path" }.compactMap { $0["name"] as? String }
                for match in route.path.matches(of: /\{([^}]+)\}/) { #expect(names.contains(String(match.1)), "\(key): path parameter \(match.1)") }
            }
        }
    }
}
