import Broker
import Foundation
import Hummingbird

/// A broker error as Hummingbird answers it: the code's status and `{"error":{"code","message"}}`.
extension BrokerError: HTTPResponseError {
    public var status: HTTPResponse.Status { HTTPResponse.Status(code: httpStatus) }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        jsonResponse
    }

    /// The JSON answer, with `Retry-After` for a throttled request.
    var jsonResponse: Response {
        var response = JSONResponse.make(status: status, ErrorBody(error: .init(code: code.rawValue, message: message)))
        if let seconds = retryAfterSeconds { response.headers[.retryAfter] = "\(seconds)" }
        return response
    }

    /// Hummingbird's own errors (no route, wrong method, body too large) in Saffron's shape.
    init(translating error: HTTPError, uploadLimit: Int) {
        switch error.status {
        case .contentTooLarge: self = .payloadTooLarge(limit: uploadLimit)
        case .notFound: self.init(.notFound, "No such resource.")
        case .methodNotAllowed: self.init(.methodNotAllowed, "Method not allowed here.")
        case let status where (400..<500).contains(status.code):
            self.init(.badRequest, error.body ?? status.reasonPhrase)
        default:
            self = .internalError
        }
    }
}

/// The JSON body of every error answer: `{"error":{"code","message"}}`.
struct ErrorBody: Encodable {
    struct Detail: Encodable {
        let code: String
        let message: String
    }
    let error: Detail
}
