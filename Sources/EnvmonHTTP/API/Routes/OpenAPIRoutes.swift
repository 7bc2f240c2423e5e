/// `GET /api/v1/openapi.json`: the ``OpenAPIDocument``. Open (no token): it holds no data, only
/// the API's shape, and tools (code generators, Swagger UI, a client being set up) read it before
/// they are given a token.
struct OpenAPIRoutes: HTTPRouteProvider {
    func addRoutes(to api: APIRouter) {
        let text = OpenAPIDocument.json
        api.get("/api/v1/openapi.json", role: nil, summary: "This document") { _, _ in APIResponse.jsonText(text) }
    }
}
