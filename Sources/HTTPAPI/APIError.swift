import Broker
import Foundation
import Hummingbird

/// Errors of the HTTP layer itself (bad requests, missing tokens), in the same shape as `BrokerError`.
enum APIError {
    static let unauthorized = BrokerError(
        code: "unauthorized", message: "Log in first: send 'Authorization: Bearer TOKEN' from POST /api/v1/login.",
        httpStatus: 401)
    static func badRequest(_ message: String) -> BrokerError {
        BrokerError(code: "bad_request", message: message, httpStatus: 400)
    }
    static func payloadTooLarge(limit: Int) -> BrokerError {
        BrokerError(code: "payload_too_large", message: "The request body is over \(limit) bytes.", httpStatus: 413)
    }
    static let internalError = BrokerError(
        code: "internal_error", message: "Something went wrong inside the broker; the broker log says what.", httpStatus: 500)

    /// The JSON body of every error answer: `{"error":{"code","message"}}`.
    struct Body: Encodable {
        struct Detail: Encodable {
            let code: String
            let message: String
        }
        let error: Detail
    }

    /// The HTTP answer for `error`.
    static func response(for error: BrokerError) -> Response {
        let body = Body(error: .init(code: error.code, message: error.message))
        var response = JSONResponse.make(status: HTTPResponse.Status(code: error.httpStatus), body)
        if let seconds = error.retryAfterSeconds { response.headers[.retryAfter] = "\(seconds)" }
        return response
    }

    /// Hummingbird's own errors (no route, wrong method, body too large) in Saffron's shape.
    static func translating(_ error: HTTPError, uploadLimit: Int) -> BrokerError {
        switch error.status {
        case .contentTooLarge: payloadTooLarge(limit: uploadLimit)
        case .notFound: BrokerError(code: "not_found", message: "No such resource.", httpStatus: 404)
        case .methodNotAllowed: BrokerError(code: "method_not_allowed", message: "Method not allowed here.", httpStatus: 405)
        default:
            BrokerError(code: "http_\(error.status.code)", message: error.body ?? error.status.reasonPhrase, httpStatus: error.status.code)
        }
    }
}
