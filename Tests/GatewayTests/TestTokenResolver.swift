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

/// A resolver whose redemptions wait until `release()`: a connection still being redeemed when the gateway ends it.
actor HeldTokenResolver: GatewayTokenResolver {
    private var waiting: [CheckedContinuation<GatewayTarget, any Error>] = []

    /// Redemptions waiting now.
    var pending: Int { self.waiting.count }

    func redeem(token: String, origin: String?) async throws -> GatewayTarget {
        try await withCheckedThrowingContinuation { self.waiting.append($0) }
    }

    /// Refuses every waiting redemption.
    func release() {
        for redemption in self.waiting { redemption.resume(throwing: GatewayRefusal.unknownToken()) }
        self.waiting = []
    }
}
