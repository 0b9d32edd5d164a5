import Broker
import SaffronAPI

/// The API of `Sources/SaffronAPI/openapi.yaml`, one method per operation (`APIProtocol`, generated): each reads its
/// caller from `RequestScope`, asks the broker, and answers in the document's types.
struct APIHandler: Sendable {
    let broker: Broker
    let accounts: Accounts
    /// The WebSocket gateway's base URL as browsers reach it, for browser consoles.
    let gatewayURL: String
    /// Where phone links point.
    let publicURL: PublicBaseURL
    /// `GET /metrics` for Prometheus; nil answers 404.
    let metrics: MetricsEndpoint?
}

/// Every operation of the document has its method here, or this does not compile.
extension APIHandler: APIProtocol {}
