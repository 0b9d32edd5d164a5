import Broker
import Foundation
import OpenAPIRuntime
import SaffronAPI

/// The API's own description, and the metrics a Prometheus scraper reads.
extension APIHandler {
    func openAPI(_ input: Operations.OpenAPI.Input) async throws -> Operations.OpenAPI.Output {
        .ok(.init(body: .json(try JSONDecoder().decode(OpenAPIObjectContainer.self, from: Data(APIDocument.json.utf8)))))
    }

    func metrics(_ input: Operations.Metrics.Input) async throws -> Operations.Metrics.Output {
        guard let metrics else { throw BrokerError(.notFound, "This broker serves no metrics.") }
        if !metrics.token.isEmpty {
            guard MetricsEndpoint.matches(BearerToken.of(RequestScope.headers) ?? "", metrics.token) else {
                throw BrokerError(.unauthorized, "/metrics needs Authorization: Bearer with the configured metrics.token.")
            }
        }
        return .ok(.init(headers: .init(cacheControl: .noStore), body: .textPlainVersion_0_0_4(HTTPBody(try await metrics.render()))))
    }
}
