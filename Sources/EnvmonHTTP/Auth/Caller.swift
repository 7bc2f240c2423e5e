/// Who made the request being handled: the token the API's router accepted for it. Handlers read
/// it for audit fields (who acknowledged, who silenced) without a parameter through every layer.
public enum Caller {
    /// The token of the request being handled; `nil` on an open route.
    @TaskLocal public static var current: AccessToken?
}
