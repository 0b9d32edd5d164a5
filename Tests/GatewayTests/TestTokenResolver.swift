import Gateway

/// A single-use token table, like the broker's: a redeemed token is gone.
actor TestTokenResolver: GatewayTokenResolver {
    private var targets: [String: GatewayTarget] = [:]
    /// The `Origin` of every redemption attempt, in order.
    private(set) var origins: [String?] = []

    /// Issues a fresh token for the target.
    func issue(for target: GatewayTarget) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
        let token = String((0..<32).map { _ in alphabet.randomElement()! })
        self.targets[token] = target
        return token
    }

    func redeem(token: String, origin: String?) async throws -> GatewayTarget {
        self.origins.append(origin)
        guard let target = self.targets.removeValue(forKey: token) else { throw GatewayRefusal.unknownToken() }
        return target
    }
}
