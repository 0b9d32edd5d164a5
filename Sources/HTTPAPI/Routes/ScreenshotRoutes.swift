import Broker
import Foundation
import Hummingbird

/// `GET /admin/pools/{pool}/vms/{vm}/screenshot`: a PNG thumbnail of what a running VM's screen shows now, for the
/// admin page's pools table. Never cached: the next request must show the screen as it is then.
struct ScreenshotRoutes {
    let broker: Broker

    func register(on group: RouterGroup<SaffronRequestContext>) {
        group.get("admin/pools/:pool/vms/:vm/screenshot") { _, context in
            let pool = try context.pathParameter("pool")
            let vm = try context.pathParameter("vm")
            let png = try await broker.thumbnail(ofVM: vm, inPool: pool, requestedBy: try context.requireUser())
            var headers = HTTPFields()
            headers[.contentType] = "image/png"
            headers[.cacheControl] = "no-store"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: png)))
        }
    }
}
