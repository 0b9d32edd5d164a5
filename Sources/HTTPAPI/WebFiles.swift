import HTTPTypes
import Hummingbird
import Logging

/// Where the portal's pages and the distro's HTML5 SPICE client are served from.
public struct WebFiles: Sendable {
    /// The portal (`web/` of the repo, or where a package installs it), served at `/`.
    public var root: String
    /// spice-html5 as the distro ships it (`/usr/share/spice-html5` on Debian), served at `/spice-html5/`.
    public var spiceHTML5: String

    public init(root: String, spiceHTML5: String) {
        self.root = root
        self.spiceHTML5 = spiceHTML5
    }

    /// Pages are revalidated on every load; scripts, styles and images may be reused for five minutes.
    static let cacheControl = CacheControl([
        (.textHtml, [.noCache]),
        (MediaType(type: .any), [.public, .maxAge(300)]),
    ])

    /// Serves both folders on `router`: GET and HEAD only, no directory listings, paths kept inside the folders.
    /// spice-html5's ticket module is swapped for the portal's padded one (`SpiceTicketModuleSwap`).
    func register(on router: Router<SaffronRequestContext>, logger: Logger) {
        router.add(middleware: SpiceTicketModuleSwap())
        router.add(middleware: FileMiddleware(root, cacheControl: Self.cacheControl, searchForIndexHtml: true, logger: logger))
        router.add(
            middleware: FileMiddleware(spiceHTML5, urlBasePath: "/spice-html5", cacheControl: Self.cacheControl, logger: logger))
    }
}

/// Headers that keep the pages from being framed, sniffed, leaking their URLs (which may carry session ids) or
/// running code from anywhere but the broker; scripts may talk only to the broker and its WebSocket gateway.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = SaffronRequestContext
    static let frameOptions = HTTPField.Name("X-Frame-Options")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let contentSecurityPolicy = HTTPField.Name("Content-Security-Policy")!

    /// The policy of HTML pages.
    let pagePolicy: String

    /// - Parameter gatewayURL: the WebSocket gateway's base URL, the one other place pages may connect to.
    init(gatewayURL: String) {
        pagePolicy = "default-src 'self'; connect-src 'self' \(gatewayURL); img-src 'self' data: blob:; "
            + "media-src 'self' blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[Self.frameOptions] = "DENY"
        response.headers[Self.referrerPolicy] = "no-referrer"
        if response.headers[.contentType]?.hasPrefix("text/html") == true {
            response.headers[Self.contentSecurityPolicy] = pagePolicy
        }
        return response
    }
}
