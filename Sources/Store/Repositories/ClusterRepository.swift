import Foundation

/// The brokers sharing the store: their reports, and who keeps which pool.
public protocol ClusterRepository: Sendable {
    // MARK: Nodes
    /// Records a node's report (replacing its previous one).
    func recordNode(_ node: NodeRecord) async throws
    /// Every node that ever reported, by name.
    func nodes() async throws -> [NodeRecord]

    // MARK: Upkeep leases
    /// Takes or renews the upkeep lease of `pool` for `holder` until `now + duration`, in one statement; false (and
    /// nothing changes) while another holder's lease runs or when there is no such pool.
    func holdUpkeepLease(pool: String, holder: String, now: Date, duration: TimeInterval) async throws -> Bool
    /// Every pool's lease, by pool name.
    func upkeepLeases() async throws -> [UpkeepLease]
}
