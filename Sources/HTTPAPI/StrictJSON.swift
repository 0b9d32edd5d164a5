import Broker
import Foundation

/// Request bodies read strictly: a JSON object with only known fields, each of the right type; anything else is a
/// `400 bad_request` that names the field.
enum StrictJSON {
    static func decode<T: Decodable>(_ type: T.Type, allowedKeys: Set<String>, from data: Data) throws -> T {
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw BrokerError.badRequest("The body must be a JSON object.")
        }
        let unknown = Set(object.keys).subtracting(allowedKeys)
        guard unknown.isEmpty else {
            throw BrokerError.badRequest("Unknown field(s): \(unknown.sorted().joined(separator: ", ")).")
        }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            throw BrokerError.badRequest(message(for: error))
        }
    }

    /// What a decoding failure says to the client: the field, and what is wrong with it.
    static func message(for error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, _):
            return "Missing field: \(key.stringValue)."
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "Field \(context.codingPath.map(\.stringValue).joined(separator: ".")) has the wrong type."
        case .dataCorrupted(let context):
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            return field.isEmpty
                ? "The body must be a JSON object." : "Field \(field) has a value that is not allowed: \(context.debugDescription)"
        @unknown default:
            return "The body is not what this operation takes."
        }
    }
}
