import Foundation
import HTTPTypes
import OpenAPIRuntime

/// What went wrong talking to a broker: its JSON error (code and message), or why it could not be reached.
public struct RemoteError: Error, CustomStringConvertible, Equatable {
    /// The HTTP status; 0 when there was no answer.
    public let status: Int
    /// The API's error code, e.g. `pool_not_found`.
    public let code: String
    /// What went wrong and what to do, for people.
    public let message: String

    public init(status: Int, code: String, message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    /// The API's `{"error":{"code","message"}}`, or the status alone from something else answering.
    init(status: Int, body: Data, server: String) {
        struct Envelope: Decodable {
            struct Detail: Decodable { let code: String; let message: String }
            let error: Detail
        }
        if let envelope = try? JSONDecoder().decode(Envelope.self, from: body) {
            var message = envelope.error.message
            if status == 401 { message += " Log in again: saffron login --server \(server)" }
            self.init(status: status, code: envelope.error.code, message: message)
        } else {
            self.init(status: status, code: "http_\(status)", message: "\(server) answered HTTP \(status), not a Saffron API error; is it a Saffron broker?")
        }
    }

    /// What a call to a broker that failed says, whatever the generated client wrapped it in: the broker's refusal,
    /// no answer, or an answer this client could not read.
    public static func of(_ error: any Error) -> RemoteError? {
        guard let error = error as? ClientError else { return error as? RemoteError }
        if let remote = error.underlyingError as? RemoteError { return remote }
        let server = error.baseURL.map { $0.absoluteString } ?? "the broker"
        return RemoteError(
            status: error.response.map { $0.status.code } ?? 0, code: "unexpected_answer",
            message: "\(server) answered \(error.operationID) in a way this saffron does not expect (\(error.causeDescription): \(error.underlyingError)); is it the same version?")
    }

    static func unreachable(server: String, reason: String) -> RemoteError {
        RemoteError(status: 0, code: "unreachable", message: "Cannot reach the broker at \(server): \(reason)")
    }

    static func usage(_ message: String) -> RemoteError {
        RemoteError(status: 0, code: "usage", message: message)
    }

    public var description: String { status == 0 ? message : "\(message) (\(code), HTTP \(status))" }
}
