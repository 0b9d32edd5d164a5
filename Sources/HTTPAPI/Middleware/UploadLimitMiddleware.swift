import Hummingbird

/// Refuses a request body larger than `maxUploadSize` with `413` before any handler reads it: the generated handlers
/// read a whole body, whatever its size.
struct UploadLimitMiddleware: RouterMiddleware {
    typealias Context = SaffronRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var request = request
        if request.method != .get, request.method != .delete { _ = try await request.collectBody(upTo: context.maxUploadSize) }
        return try await next(request, context)
    }
}
