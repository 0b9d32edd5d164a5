import Foundation

/// `POST /api/v1/sessions/{id}/web-console`: the gateway URL with its single-use token, and the SPICE password.
struct WebConsoleGrant: Decodable {
    let url: String
    let password: String

    static func request(_ session: String, token: String) throws -> WebConsoleGrant {
        let response = try API.request("POST", "/api/v1/sessions/\(session)/web-console", token: token)
        guard response.status == 200 else { throw CommandError(description: "web-console answered \(response)") }
        return try response.decode(WebConsoleGrant.self)
    }
}
