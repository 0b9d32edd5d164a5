import Foundation
import Store

extension Broker {
    /// Changes a pool's policy: `change` edits the current one, which is checked and saved. Upkeep follows it from
    /// its next round (nudged at once).
    @discardableResult
    public func updatePolicy(
        ofPool poolName: String, by actor: String = AuditLog.cliActor, _ change: (inout PoolPolicy) -> Void
    ) async throws -> PoolPolicy {
        guard let pool = try await store.pool(named: poolName) else { throw BrokerError(StoreError.poolNotFound(poolName)) }
        var policy = pool.policy
        change(&policy)
        try Self.check(policy, of: pool)
        try accessPath(for: policy.consoleRoute).checkAvailable()
        try await BrokerError.mapping { try await store.updatePolicy(policy, ofPool: poolName) }
        await audit.record(.poolUpdate, by: actor, subject: poolName, PolicyChange.describe(from: pool.policy, to: policy))
        upkeep.nudge()
        return policy
    }

    static func check(_ policy: PoolPolicy, of pool: PoolRecord) throws {
        let maximum = pool.template?.maxVMs ?? 999
        guard (0...maximum).contains(policy.spares) else {
            throw BrokerError.badRequest("Spares must be 0 to \(maximum) (the pool's size).")
        }
        guard (1...64).contains(policy.bootLimit) else { throw BrokerError.badRequest("The boot limit must be 1 to 64.") }
        guard policy.spareLingerSeconds >= 0 else { throw BrokerError.badRequest("The spare linger time must not be negative.") }
        for (name, value) in [
            ("attach window", policy.attachWindowSeconds), ("disconnect grace", policy.disconnectGraceSeconds),
            ("idle shutdown time", policy.idleShutdownSeconds), ("ticket validity", policy.ticketValiditySeconds),
        ] {
            if let value, value < 1 { throw BrokerError.badRequest("The \(name) must be at least 1 second (or off).") }
        }
        if let validity = policy.ticketValiditySeconds, validity > 86_400 {
            throw BrokerError.badRequest("The ticket validity must be at most a day (86400 s).")
        }
        guard (1...maximum).contains(policy.maxSessionsPerUser) else {
            throw BrokerError.badRequest("The desktops per user must be 1 to \(maximum) (the pool's size).")
        }
        if pool.desktopMode == .persistent, policy.maxSessionsPerUser != 1 {
            throw BrokerError.badRequest("A persistent pool gives each user one desktop, their own VM: keep 1 desktop per user.")
        }
    }
}
