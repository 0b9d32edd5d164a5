import Broker
import Hummingbird
import Logging
import NIOCore
import OpenAPIRuntime

/// Turns every error into a JSON answer `{"error":{"code","message"}}`; unknown errors become a logged 500 that
/// tells the client nothing about the inside.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = SaffronRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as BrokerError {
            if error.httpStatus >= 500, error.httpStatus != 503 {
                context.logger.error("\(request.method) \(request.uri.path): \(error.code): \(error.message)")
            }
            return error.jsonResponse
        } catch let error as ServerError {
            // The generated handlers' errors come wrapped: ours as they were, the document's checks of the input as 400.
            if let brokerError = error.underlyingError as? BrokerError { return brokerError.jsonResponse }
            if let decoding = error.underlyingError as? DecodingError {
                return BrokerError.badRequest(decoding.clientMessage).jsonResponse
            }
            if (400..<500).contains(error.httpStatus.code) {
                return BrokerError.badRequest("\(error.causeDescription).").jsonResponse
            }
            context.logger.error("\(request.method) \(request.uri.path) failed: \(String(reflecting: error.underlyingError))")
            return BrokerError.internalError.jsonResponse
        } catch let error as HTTPError {
            return BrokerError(translating: error, uploadLimit: context.maxUploadSize).jsonResponse
        } catch is NIOTooManyBytesError {
            return BrokerError.payloadTooLarge(limit: context.maxUploadSize).jsonResponse
        } catch {
            context.logger.error("\(request.method) \(request.uri.path) failed: \(String(reflecting: error))")
            return BrokerError.internalError.jsonResponse
        }
    }
}
