import Foundation
import HTTPTypes
import Hummingbird
import SaffronAPI
import Yams

/// The API's OpenAPI document as JSON, made once from the YAML it is written in (`Sources/SaffronAPI/openapi.yaml`).
enum OpenAPIDocument {
    static let json: String = {
        do {
            let document = try Yams.load(yaml: APIDocument.yaml) ?? [:]
            let data = try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes])
            return String(decoding: data, as: UTF8.self)
        } catch {
            // The document is part of the build: a test parses it, so this cannot happen in a tested binary.
            preconditionFailure("Sources/SaffronAPI/openapi.yaml does not parse: \(error)")
        }
    }()

    /// `GET /api/v1/openapi.json`, for anyone: the document describes the API, not its data.
    static func register(on group: RouterGroup<SaffronRequestContext>) {
        group.get("openapi.json") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "application/json; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: json)))
        }
    }
}
