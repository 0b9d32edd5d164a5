import Broker
import Gateway
import ProxyAccess
import Store
import Synchronization

/// Answers the gateway's one question from the broker's tokens: which desktop may this token reach? A browser
/// console's single-use token reaches its desktop's SPICE port; a console credential (with a SPICE gateway) reaches
/// the SPICE gateway's relay listener, which takes the SPICE link with it, told the browser's address first.
struct BrokerTokenResolver: GatewayTokenResolver {
    let tokens: SessionTokens
    let allowedOrigins: Set<String>
    /// The console credentials and the SPICE gateway that takes them, when the broker runs one.
    var credentials: (tokens: SessionTokens, gateway: SpiceGateway)?

    func redeem(token: String, origin: String?) async throws -> GatewayTarget {
        if let origin, !allowedOrigins.contains(origin) { throw GatewayRefusal.originNotAllowed() }
        if let session = try await tokens.redeem(token), let host = session.targetAddress, let port = session.targetPort {
            return GatewayTarget(sessionID: session.id, host: host, port: port)
        }
        guard let credentials, let session = try await credentials.tokens.redeem(token) else {
            throw GatewayRefusal.unknownToken()
        }
        let port = try await credentials.gateway.relayPort()
        return GatewayTarget(sessionID: session.id, host: "127.0.0.1", port: port, namesClient: true)
    }
}

/// Cuts a session's browser connections when the broker ends it.
struct GatewaySessionCutter: SessionObserver {
    let gateway: WebSocketGateway

    func sessionEnded(_ sessionID: String) async {
        await gateway.closeConnections(ofSession: sessionID)
    }
}

/// Answers the CONNECT proxy's one question from the store: which live session of this client has this endpoint?
struct BrokerTunnelAuthorizer: TunnelAuthorizer {
    let policy: TunnelPolicy

    func authorize(clientAddress: String, target: ConnectTarget) async throws -> String {
        guard let session = try await policy.session(from: clientAddress, toAddress: target.host, port: target.port)
        else { throw TunnelRefusal.forbidden }
        return session.id
    }
}

/// Cuts a session's proxy tunnels when the broker ends it, and has the proxy forget what it granted the session's
/// old client address when the client moves.
struct ProxySessionCutter: SessionObserver {
    let proxy: ConnectProxy

    func sessionEnded(_ sessionID: String) async {
        await proxy.closeTunnels(ofSession: sessionID)
    }

    func sessionMoved(_ sessionID: String) async {
        proxy.forgetGrants(ofSession: sessionID)
    }
}

/// The broker, once built: the SPICE gateway is built before it (the broker's session observers cut the gateway's
/// connections) but asks it for desktops and tickets only once serving.
final class LateBroker: Sendable {
    private let broker = Mutex<Broker?>(nil)

    func set(_ broker: Broker) {
        self.broker.withLock { $0 = broker }
    }

    var value: Broker {
        get throws {
            guard let broker = broker.withLock({ $0 }) else { throw SpiceConsoleRefusal("the broker is not ready yet") }
            return broker
        }
    }
}

/// Answers the SPICE gateway's questions from the broker: which desktop a console credential opens for a client, and
/// a fresh ticket for it.
struct BrokerSpiceConsoleResolver: SpiceConsoleResolver {
    let broker: LateBroker

    func desktop(forCredential credential: String, clientAddress: String) async throws -> SpiceConsoleTarget {
        let found: SessionRecord?
        do {
            found = try await broker.value.gatewayDesktop(forCredential: credential, clientAddress: clientAddress)
        } catch let error as BrokerError where error.code == .forbidden {
            throw SpiceConsoleRefusal.otherClient
        }
        guard let session = found, let host = session.targetAddress, let port = session.targetPort else {
            throw SpiceConsoleRefusal.unknownCredential
        }
        return SpiceConsoleTarget(sessionID: session.id, host: host, port: port)
    }

    func desktopTicket(forSession sessionID: String) async throws -> String {
        try await broker.value.gatewayTicket(forSession: sessionID)
    }
}

/// Cuts a session's SPICE gateway connections when the broker ends it.
struct SpiceGatewaySessionCutter: SessionObserver {
    let gateway: SpiceGateway

    func sessionEnded(_ sessionID: String) async {
        await gateway.closeConnections(ofSession: sessionID)
    }
}
