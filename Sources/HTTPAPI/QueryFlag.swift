import Broker
import Hummingbird

extension Request {
    /// A `?name=true|false` query flag (`1` and `0` too); absent is false, anything else a `400 bad_request`.
    func flag(_ name: String) throws -> Bool {
        switch uri.queryParameters.get(name) {
        case nil, "false", "0": return false
        case "true", "1": return true
        case let other?: throw BrokerError.badRequest("\(name) must be true or false, not \(other.debugDescription).")
        }
    }
}
