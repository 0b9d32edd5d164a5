import Broker
import Gateway
import Store

/// Answers the gateway's one question from the broker's tokens: which desktop may this token reach?
struct BrokerTokenResolver: GatewayTokenResolver {
    let tokens: WebConsoleTokens
    let allowedOrigins: Set<String>

    func redeem(token: String, origin: String?) async throws -> GatewayTarget {
        if let origin, !allowedOrigins.contains(origin) { throw GatewayRefusal.originNotAllowed() }
        guard let session = try await tokens.redeem(token), let host = session.targetAddress,
            let port = session.targetPort
        else { throw GatewayRefusal.unknownToken() }
        return GatewayTarget(sessionID: session.id, host: host, port: port)
    }
}

/// Cuts a session's browser connections when the broker ends it.
struct GatewaySessionCutter: SessionEndObserver {
    let gateway: WebSocketGateway

    func sessionEnded(_ sessionID: String) async {
        await gateway.closeConnections(ofSession: sessionID)
    }
}
