import HTTPAPI

extension SaffronConfig {
    /// The API's connection limits (`http.requestHeadTimeoutSeconds`, `http.idleTimeoutSeconds`,
    /// `http.connectionsPerClient`, `http.maxConnections`), checked; an unset `http.maxConnections` takes the API's
    /// share of `openFiles`, the open-files limit in force.
    func httpConnectionLimits(openFiles: UInt64?) throws -> HTTPConnectionLimits {
        guard (1...300).contains(http.requestHeadTimeoutSeconds) else {
            throw ConfigError(message: "http.requestHeadTimeoutSeconds must be 1 to 300 (a request must arrive within it), not \(http.requestHeadTimeoutSeconds).")
        }
        guard (1...3600).contains(http.idleTimeoutSeconds) else {
            throw ConfigError(message: "http.idleTimeoutSeconds must be 1 to 3600, not \(http.idleTimeoutSeconds).")
        }
        guard (1...65535).contains(http.connectionsPerClient) else {
            throw ConfigError(message: "http.connectionsPerClient must be 1 to 65535, not \(http.connectionsPerClient).")
        }
        guard (0...1_000_000).contains(http.maxConnections) else {
            throw ConfigError(
                message: "http.maxConnections must be 0 (an eighth of the open-files limit) to 1000000, not \(http.maxConnections).")
        }
        var limits = HTTPConnectionLimits()
        limits.requestTimeout = .seconds(http.requestHeadTimeoutSeconds)
        limits.idleTimeout = .seconds(http.idleTimeoutSeconds)
        limits.connectionsPerClient = http.connectionsPerClient
        limits.maxConnections = http.maxConnections > 0 ? http.maxConnections : OpenFilesLimit.apiConnections(of: openFiles)
        limits.trustedProxies = http.trustedProxies.compactMap(AddressRange.init)
        return limits
    }
}
