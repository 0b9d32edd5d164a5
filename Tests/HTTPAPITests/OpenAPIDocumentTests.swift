import BrokerTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import SaffronAPI
import HummingbirdTesting
import Testing

@testable import HTTPAPI

/// Keeps the served OpenAPI document true: it names exactly the routes the router has, and live answers match the
/// schemas it gives them.
@Suite struct OpenAPIDocumentTests {
    static var document: [String: Any] { try! JSONSerialization.jsonObject(with: Data(APIDocument.json.utf8)) as! [String: Any] }
    static var paths: [String: [String: Any]] { document["paths"] as! [String: [String: Any]] }
    static var components: [String: Any] { document["components"] as! [String: Any] }
    static var schemas: [String: Any] { components["schemas"] as! [String: Any] }
    static var sharedResponses: [String: Any] { components["responses"] as! [String: Any] }

    @Test func everyRouteIsDocumentedAndEveryDocumentedRouteExists() async throws {
        let fixture = try await BrokerFixture()
        let router = APIRouter.build(
            broker: fixture.broker, accounts: fixture.accounts, metrics: MetricsEndpoint(token: "") { [] })
        let served = Set(router.routes.map { route in
            let path = "/" + route.path.description.split(separator: "/").map { part in
                part.hasPrefix(":") ? "{\(part.dropFirst())}" : String(part)
            }.joined(separator: "/")
            return "\(route.method.rawValue) \(path)"
        })
        let documented = Set(Self.paths.flatMap { path, operations in operations.keys.map { "\($0.uppercased()) \(path)" } })
        #expect(served == documented, "served only: \(served.subtracting(documented).sorted()); documented only: \(documented.subtracting(served).sorted())")
        #expect(Self.document["openapi"] as? String == "3.0.3")
    }

    @Test func answersMatchTheirSchemas() async throws {
        try await withLiveAPI { client, fixture in
            try await fixture.user("boss", admin: true)
            let served = try await client.execute(uri: "/api/v1/openapi.json", method: .get) { response in
                (response.status, Data(buffer: response.body))
            }
            #expect(served.0 == .ok)
            #expect(try JSONSerialization.jsonObject(with: served.1) as? NSDictionary == Self.document as NSDictionary)

            let alice = try await client.login("alice")
            let boss = try await client.login("boss")
            let desktop = try await client.call(.post, "/api/v1/pools/office/desktop", token: alice)
            let id = try #require(desktop.json["id"] as? String)
            try await fixture.broker.reportNode(startedAt: Date())
            let checks: [(HTTPRequest.Method, String, String?, String, String)] = [
                (.post, "/api/v1/login", nil, "200", #"{"username":"alice","password":"pw-alice"}"#),
                (.post, "/api/v1/login", nil, "401", #"{"username":"alice","password":"nope"}"#),
                (.get, "/api/v1/me", alice, "200", ""),
                (.get, "/api/v1/pools", alice, "200", ""),
                (.post, "/api/v1/pools/office/desktop", alice, "200", ""),
                (.post, "/api/v1/pools/nowhere/desktop", alice, "404", ""),
                (.get, "/api/v1/sessions", alice, "200", ""),
                (.get, "/api/v1/sessions/\(id)", alice, "200", ""),
                (.post, "/api/v1/sessions/\(id)/web-console", alice, "200", ""),
                (.get, "/api/v1/admin/pools", boss, "200", ""),
                (.get, "/api/v1/admin/pools", alice, "403", ""),
                (.get, "/api/v1/admin/pools/office/vms/\(desktop.json["vm"] as? String ?? "")/screenshot", alice, "403", ""),
                (.get, "/api/v1/admin/pools/office/vms/nope/screenshot", boss, "404", ""),
                (.get, "/api/v1/admin/audit", boss, "200", ""),
                (.get, "/api/v1/admin/users", boss, "200", ""),
                (.post, "/api/v1/admin/users", boss, "201", #"{"name":"erin","password":"pw-erin","admin":false}"#),
                (.post, "/api/v1/admin/users", boss, "409", #"{"name":"erin","password":"pw-erin"}"#),
                (.post, "/api/v1/admin/groups", boss, "201", #"{"name":"staff"}"#),
                (.get, "/api/v1/admin/groups", boss, "200", ""),
                (.get, "/api/v1/admin/nodes", boss, "200", ""),
                (.get, "/api/v1/admin/nodes", alice, "403", ""),
                (.get, "/api/v1/sessions", nil, "401", ""),
            ]
            for (method, uri, token, status, body) in checks {
                let answer = try await client.call(method, uri, token: token, body: body.isEmpty ? nil : body)
                #expect("\(answer.status.code)" == status, "\(method) \(uri)")
                let template = Self.template(of: uri, among: Self.paths.keys)
                let operation = try #require(Self.paths[template]?[method.rawValue.lowercased()] as? [String: Any], "\(template)")
                let responses = try #require(operation["responses"] as? [String: Any])
                var response = try #require(responses[status] as? [String: Any], "\(method) \(template) has no \(status)")
                if let reference = response["$ref"] as? String {
                    response = try #require(Self.sharedResponses[String(reference.split(separator: "/").last!)] as? [String: Any], "\(reference)")
                }
                let schema = try #require(
                    ((response["content"] as? [String: Any])?["application/json"] as? [String: Any])?["schema"])
                let problems = Self.violations(of: answer.json, against: schema, at: "\(method) \(uri)")
                #expect(problems.isEmpty, "\(problems)")
            }
        }
    }

    /// The documented path a concrete URI matches (`{x}` matches one segment).
    static func template(of uri: String, among templates: some Collection<String>) -> String {
        let parts = uri.split(separator: "?").first!.split(separator: "/")
        return templates.first { template in
            let pattern = template.split(separator: "/")
            return pattern.count == parts.count && zip(pattern, parts).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
        } ?? uri
    }

    /// What in `value` the schema does not allow: missing required keys, unknown keys, wrong types.
    static func violations(of value: Any, against schema: Any, at place: String) -> [String] {
        guard var schema = schema as? [String: Any] else { return [] }
        if let reference = schema["$ref"] as? String {
            schema = Self.schemas[String(reference.split(separator: "/").last!)] as? [String: Any] ?? [:]
        }
        if let all = schema["allOf"] as? [Any] {
            if value is NSNull, schema["nullable"] as? Bool == true { return [] }
            return all.flatMap { violations(of: value, against: $0, at: place) }
        }
        if value is NSNull { return schema["nullable"] as? Bool == true ? [] : ["\(place): null"] }
        switch schema["type"] as? String {
        case "object":
            guard let object = value as? [String: Any] else { return ["\(place): not an object"] }
            let properties = schema["properties"] as? [String: Any] ?? [:]
            var problems = (schema["required"] as? [String] ?? []).filter { object[$0] == nil }.map { "\(place): no \($0)" }
            if schema["additionalProperties"] as? Bool == false {
                problems += object.keys.filter { properties[$0] == nil }.map { "\(place): unknown \($0)" }
            }
            for (key, item) in object { if let inner = properties[key] { problems += violations(of: item, against: inner, at: "\(place).\(key)") } }
            return problems
        case "array":
            guard let array = value as? [Any] else { return ["\(place): not an array"] }
            return array.enumerated().flatMap { violations(of: $1, against: schema["items"] ?? [:], at: "\(place)[\($0)]") }
        case "string":
            guard let text = value as? String else { return ["\(place): not a string"] }
            if let allowed = schema["enum"] as? [String], !allowed.contains(text) { return ["\(place): \(text) not in \(allowed)"] }
            return []
        case "integer":
            guard let number = value as? NSNumber, number.doubleValue == number.doubleValue.rounded() else {
                return ["\(place): not an integer"]
            }
            return []
        case "boolean":
            return value is Bool ? [] : ["\(place): not a boolean"]
        default:
            return []
        }
    }
}
