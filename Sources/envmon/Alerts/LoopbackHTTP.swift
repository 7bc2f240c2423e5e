import Foundation
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// One HTTP request from the command line to the daemon (JSON in and out).
enum LoopbackHTTP {
    static func request(method: String, url: String, body: Data?, token: String? = nil) async throws -> (Int, Data) {
        guard let address = URL(string: url) else { throw CLIError("not an address: \(url)") }
        var request = URLRequest(url: address, timeoutInterval: 30)
        request.httpMethod = method
        if let body {
            request.httpBody = body
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }
}
