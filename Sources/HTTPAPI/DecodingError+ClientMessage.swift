import Broker
import Foundation

/// Request bodies are read strictly (the document's schemas allow no unknown fields): what does not decode is a
/// `400 bad_request` that names the field.
extension DecodingError {
    /// What the failure says to the client: the field, and what is wrong with it.
    var clientMessage: String {
        switch self {
        case .keyNotFound(let key, _):
            return "Missing field: \(key.stringValue)."
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "Field \(context.codingPath.map(\.stringValue).joined(separator: ".")) has the wrong type."
        case .dataCorrupted(let context):
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            // The generated types allow no field their schema does not name.
            if context.debugDescription.hasPrefix("Additional properties are disabled") { return "Unknown field: \(field)." }
            return field.isEmpty
                ? "The body must be a JSON object." : "Field \(field) has a value that is not allowed: \(context.debugDescription)"
        @unknown default:
            return "The body is not what this operation takes."
        }
    }
}
