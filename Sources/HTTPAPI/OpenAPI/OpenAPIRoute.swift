import HTTPTypes
import Hummingbird

extension OpenAPIDocument {
    /// `GET /api/v1/openapi.json`, for anyone: the document describes the API, not its data.
    static func register(on group: RouterGroup<SaffronRequestContext>) {
        group.get("openapi.json") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "application/json; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: json)))
        }
    }
}
