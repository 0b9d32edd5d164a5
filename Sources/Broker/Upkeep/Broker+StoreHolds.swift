import Foundation
import Logging
import Store

extension Broker {
    /// How long a hold upkeep takes in the store lasts at most: longer than a boot or a power-off takes, short enough
    /// that a broker killed while holding frees its VMs soon.
    static let upkeepHoldLimit: TimeInterval = 600

    /// Holds the pool's VMs in the store for this broker's upkeep (at most `duration`), so that no other broker sharing
    /// the database hands them out meanwhile (this broker's own handouts see its holds in memory); false (nothing
    /// held) when one has a session or another broker holds it, or the store did not answer.
    func holdInStore(
        _ names: Set<String>, of pool: PoolRecord, now: Date, for duration: TimeInterval = upkeepHoldLimit
    ) async -> Bool {
        do {
            return try await store.holdVMs(
                names, inPool: pool.name, holder: settings.nodeName, until: now.addingTimeInterval(duration), now: now)
        } catch {
            logger.warning("could not hold \(names.sorted().joined(separator: ", ")) of pool \(pool.name): \(error)")
            return false
        }
    }

    /// Lets go of this broker's store holds on the VMs; a hold that cannot be released expires.
    func releaseInStore(_ names: Set<String>, of pool: PoolRecord) async {
        do {
            try await store.releaseVMs(names, inPool: pool.name, holder: settings.nodeName)
        } catch {
            logger.warning("could not release \(names.sorted().joined(separator: ", ")) of pool \(pool.name); the hold expires: \(error)")
        }
    }
}
