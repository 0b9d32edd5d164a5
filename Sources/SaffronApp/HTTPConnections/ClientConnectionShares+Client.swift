import Broker

extension ClientConnectionShares {
    /// Who a connection is counted against: its IPv4 address, or its IPv6 /64 (see `ClientNetwork`).
    struct Client: Hashable, Sendable {
        let network: String

        /// The client of an IP address literal; nil for anything else.
        init?(address text: String) {
            guard let network = ClientNetwork.key(for: text) else { return nil }
            self.network = network
        }
    }
}
