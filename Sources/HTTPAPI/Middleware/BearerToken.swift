import HTTPTypes
import Hummingbird

/// The token of `Authorization: Bearer TOKEN`.
enum BearerToken {
    static func of(_ request: Request) -> String? {
        of(request.headers)
    }

    static func of(_ headers: HTTPFields) -> String? {
        guard let value = headers[.authorization] else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer", !parts[1].isEmpty else { return nil }
        return String(parts[1])
    }
}
