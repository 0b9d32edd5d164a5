import HummingbirdCore
import Logging

/// The most connections the API holds at once (`http.maxConnections`): at the cap, Hummingbird stops accepting and
/// new clients wait in the listen backlog, holding no descriptor of ours, until a connection closes. Reaching the
/// cap is logged once until the API is below it again.
struct APIConnectionCap: AvailableConnectionsDelegate {
    let maxConnections: Int
    let logger: Logger
    private var connections = 0
    private var full = false

    init(_ maxConnections: Int, logger: Logger) {
        self.maxConnections = maxConnections
        self.logger = logger
    }

    mutating func connectionOpened() {
        self.connections += 1
        if self.connections >= self.maxConnections, !self.full {
            self.full = true
            self.logger.warning(
                "HTTP API holds its most connections; new ones wait until one closes",
                metadata: ["maxConnections": "\(self.maxConnections)"])
        }
    }

    mutating func connectionClosed() {
        self.connections -= 1
        if self.connections < self.maxConnections { self.full = false }
    }

    func isAcceptingNewConnections() -> Bool {
        self.connections < self.maxConnections
    }
}
