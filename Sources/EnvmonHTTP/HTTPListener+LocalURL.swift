extension HTTPListener.Configuration {
    /// The base address a client on this machine reaches the listener at on `port`: a wildcard
    /// host (`0.0.0.0`, `::`) is reached on loopback, an IPv6 host goes in brackets.
    public func localURL(port: Int) -> String {
        let reachable = host == "0.0.0.0" || host == "::" ? "127.0.0.1" : host
        return "http://\(reachable.contains(":") ? "[\(reachable)]" : reachable):\(port)"
    }
}
