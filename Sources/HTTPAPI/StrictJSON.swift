import Broker
import Foundation
import Hummingbird

/// Reads a small JSON request body into a `Decodable`, refusing malformed JSON, non-objects and unknown fields
/// with a `bad_request` that names the problem.
enum StrictJSON {
    static func decode<T: Decodable>(
        _ type: T.Type, allowedKeys: Set<String>, from request: Request, context: SaffronRequestContext
    ) async throws -> T {
        var request = request
        let buffer = try await request.collectBody(upTo: context.maxUploadSize)
        let data = Data(buffer.readableBytesView)
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw BrokerError.badRequest("The body must be a JSON object.")
        }
        let unknown = Set(object.keys).subtracting(allowedKeys)
        guard unknown.isEmpty else {
            throw BrokerError.badRequest("Unknown field(s): \(unknown.sorted().joined(separator: ", ")).")
        }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch DecodingError.keyNotFound(let key, _) {
            throw BrokerError.badRequest("Missing field: \(key.stringValue).")
        } catch DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context) {
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw BrokerError.badRequest("Field \(field) has the wrong type.")
        } catch DecodingError.dataCorrupted(let context) {
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw BrokerError.badRequest("Field \(field) has a value that is not allowed: \(context.debugDescription)")
        }
    }
}
