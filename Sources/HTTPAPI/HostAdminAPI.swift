import Broker
import Foundation
import Logging
import SaffronAPI
import Store

/// The API's operations called in this process by this host's administrator: what `saffron` commands run without
/// `--server`. They are the very handlers a broker serves, so that a command answers the same locally and remotely.
public struct HostAdminAPI: Sendable {
    let handler: APIHandler
    let logger: Logger

    public init(
        broker: Broker, accounts: Accounts, gatewayURL: String, publicURL: PublicBaseURL,
        logger: Logger = Logger(label: "saffron.cli")
    ) {
        handler = APIHandler(broker: broker, accounts: accounts, gatewayURL: gatewayURL, publicURL: publicURL, metrics: nil)
        self.logger = logger
    }

    /// Runs `body` with the operations, called as an admin whom the audit log names `cli`.
    package func run<Answer>(_ body: (any APIProtocol) async throws -> Answer) async throws -> Answer {
        let admin = UserRecord(name: AuditLog.cliActor, passwordHash: "", isAdmin: true, createdAt: Date())
        let caller = Caller(user: admin, clientAddress: nil, logger: logger)
        return try await RequestScope.$current.withValue(RequestScope.Current(caller: caller, head: nil)) {
            try await body(handler)
        }
    }
}
