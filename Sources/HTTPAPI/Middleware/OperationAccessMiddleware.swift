import Broker
import Foundation
import HTTPTypes
import Hummingbird
import SaffronAPI

/// Who may call each operation, as the OpenAPI document says: `security: []` makes it public, `x-saffron-role:
/// admin` or `reader` limits it to admins, or to admins and auditors; any other needs a logged-in user. Checked
/// before the generated layer reads the input, so a caller who may not call an operation learns nothing more from it
/// than 401 or 403.
struct OperationAccess: Sendable {
    enum Requirement: Sendable, Equatable { case none, user, reader, admin }

    struct Operation: Sendable {
        var method: String
        var segments: [String]
        var requirement: Requirement

        /// Whether the path's segments match the operation's template (`{name}` matches any one segment).
        func matches(method: String, segments path: [Substring]) -> Bool {
            method == self.method && path.count == segments.count
                && zip(segments, path).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
        }
    }

    let operations: [Operation]

    /// The operations of the document the broker serves.
    static let served = OperationAccess(documentJSON: APIDocument.json)

    init(documentJSON: String) {
        let document = (try? JSONSerialization.jsonObject(with: Data(documentJSON.utf8))) as? [String: Any] ?? [:]
        let everyone = (document["security"] as? [Any])?.isEmpty ?? true
        var operations: [Operation] = []
        for (path, item) in document["paths"] as? [String: [String: Any]] ?? [:] {
            for (method, value) in item {
                guard let operation = value as? [String: Any] else { continue }
                let security = (operation["security"] as? [Any]).map(\.isEmpty) ?? everyone
                let requirement: Requirement =
                    switch operation["x-saffron-role"] as? String {
                    case "admin": .admin
                    case "reader": .reader
                    default: security ? .none : .user
                    }
                operations.append(
                    Operation(method: method.uppercased(), segments: path.split(separator: "/").map(String.init), requirement: requirement))
            }
        }
        self.operations = operations
    }

    /// What calling `method` on `path` requires; nil for a request no operation matches (not the API's to answer).
    func requirement(method: String, path: String) -> Requirement? {
        let segments = path.split(separator: "/")
        return operations.first { $0.matches(method: method, segments: segments) }?.requirement
    }
}

/// Refuses a call its caller may not make, by `OperationAccess`, and a path that is not valid percent-encoding,
/// before the operation's input is read.
struct OperationAccessMiddleware: RouterMiddleware {
    typealias Context = SaffronRequestContext
    var access = OperationAccess.served

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // The generated layer would read a name that is not valid percent-encoding as an empty one.
        if let bad = request.uri.path.split(separator: "/").first(where: { $0.removingPercentEncoding == nil }) {
            throw BrokerError.badRequest("A name in the path is not valid percent-encoding: \(String(bad).debugDescription).")
        }
        switch access.requirement(method: request.method.rawValue, path: request.uri.path) {
        case .user?: _ = try Caller(context).requireUser()
        case .reader?: _ = try Caller(context).requireReader()
        case .admin?: _ = try Caller(context).requireAdmin()
        case .none?, nil: break
        }
        return try await next(request, context)
    }
}
