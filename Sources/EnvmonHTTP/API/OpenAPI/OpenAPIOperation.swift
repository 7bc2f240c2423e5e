/// One documented operation of the API: what the OpenAPI document says of a route. Written by
/// hand, apart from the routes, so that the test comparing the two (both ways) means something.
public struct OpenAPIOperation: Sendable {
    /// A query or path parameter.
    public struct Parameter: Sendable {
        /// Its name.
        public var name: String
        /// `query` or `path`.
        public var location: String
        /// What it takes.
        public var description: String
        /// Whether it must be given.
        public var required: Bool
        /// Whether it may be repeated (`?site=a&site=b`).
        public var repeated: Bool
        /// The values it takes, when a fixed set.
        public var values: [String]

        /// A query parameter.
        public static func query(_ name: String, _ description: String, required: Bool = false, repeated: Bool = false, values: [String] = [])
            -> Parameter
        {
            Parameter(name: name, location: "query", description: description, required: required, repeated: repeated, values: values)
        }

        /// A path parameter.
        public static func path(_ name: String, _ description: String) -> Parameter {
            Parameter(name: name, location: "path", description: description, required: true, repeated: false, values: [])
        }
    }

    /// `get`, `post`, `put` or `delete`.
    public var method: String
    /// The path with `{name}` for parameters.
    public var path: String
    /// The role it needs; `nil`: open.
    public var role: Role?
    /// What it does.
    public var summary: String
    /// Its parameters.
    public var parameters: [Parameter]
    /// The schema (in `components.schemas`) of its success answer.
    public var response: String
    /// Whether it answers CSV too (`format=csv`, `Accept: text/csv`).
    public var csv: Bool
    /// The schema of its JSON body, if it takes one.
    public var body: String?
    /// The success status.
    public var status: Int

    /// An operation.
    public init(
        _ method: String, _ path: String, role: Role?, _ summary: String, parameters: [Parameter] = [], response: String, csv: Bool = false,
        body: String? = nil, status: Int = 200
    ) {
        self.method = method
        self.path = path
        self.role = role
        self.summary = summary
        self.parameters = parameters
        self.response = response
        self.csv = csv
        self.body = body
        self.status = status
    }
}
